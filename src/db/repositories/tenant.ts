import type { Database } from "../client";
import { CredentialsRepository } from "./credentials.repository";
import { OutputsRepository } from "./outputs.repository";
import { PresetsRepository } from "./presets.repository";
import { ProfileRepository } from "./profile.repository";
import { RecordingExportsRepository } from "./recording-exports.repository";
import { RecordingsRepository } from "./recordings.repository";
import { RunsRepository } from "./runs.repository";
import { SharesRepository } from "./shares.repository";
import { SourcesRepository } from "./sources.repository";
import { StagesRepository } from "./stages.repository";
import { TemplatesRepository } from "./templates.repository";
import { TenantSessionsRepository } from "./tenant-sessions.repository";
import { UploadSessionsRepository } from "./upload-sessions.repository";
import { UserConfigRepository } from "./user-config.repository";

/**
 * Tenant isolation as a mechanism: every repository a signed-in request can reach is built here,
 * bound to the caller's user id, and puts that id into every WHERE clause. Route handlers get
 * them only through `forTenant(db, auth.userId)`, so a query without the tenant is not writable
 * by accident. Another tenant's ids simply match no row, which the services turn into 404.
 */
export interface TenantRepositories {
  readonly userId: string;
  readonly profile: ProfileRepository;
  readonly sessions: TenantSessionsRepository;
  readonly recordings: RecordingsRepository;
  readonly recordingExports: RecordingExportsRepository;
  readonly templates: TemplatesRepository;
  readonly sources: SourcesRepository;
  readonly config: UserConfigRepository;
  readonly uploads: UploadSessionsRepository;
  readonly credentials: CredentialsRepository;
  readonly stages: StagesRepository;
  readonly runs: RunsRepository;
  readonly outputs: OutputsRepository;
  readonly presets: PresetsRepository;
  readonly shares: SharesRepository;
}

export function forTenant(db: Database, userId: string): TenantRepositories {
  if (!userId) throw new Error("forTenant requires a user id");
  return {
    userId,
    profile: new ProfileRepository(db, userId),
    sessions: new TenantSessionsRepository(db, userId),
    recordings: new RecordingsRepository(db, userId),
    recordingExports: new RecordingExportsRepository(db, userId),
    templates: new TemplatesRepository(db, userId),
    sources: new SourcesRepository(db, userId),
    config: new UserConfigRepository(db, userId),
    uploads: new UploadSessionsRepository(db, userId),
    credentials: new CredentialsRepository(db, userId),
    stages: new StagesRepository(db, userId),
    runs: new RunsRepository(db, userId),
    outputs: new OutputsRepository(db, userId),
    presets: new PresetsRepository(db, userId),
    shares: new SharesRepository(db, userId),
  };
}
