import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from "@tanstack/react-router";
import type { QueryClient } from "@tanstack/react-query";
import { NotFound } from "../components/not-found";
import { validateAdminSearch } from "../features/admin/search-params";
import { validateAutomationSearch } from "../features/automation/search-params";
import { validateConnectionsSearch } from "../features/connections/search-params";
import { validateNewPresetSearch } from "../features/presets/search-params";
import { validateRecordingDetailSearch, validateRecordingsSearch } from "../features/recordings/search-params";
import { validateSettingsSearch } from "../features/settings/search-params";
import { queryClient } from "../lib/query-client";
import { session } from "../lib/session";
import { AppLayout } from "./app-layout";
import { PublicLayout } from "./public-layout";
import { ShareLayout } from "./share-layout";

// Code-split per page: each page component is its own chunk, fetched when its route is entered.
const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const publicLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: "public",
  component: PublicLayout,
  // A page load first tries to restore the session from its cookie (one silent refresh).
  beforeLoad: async () => {
    if (await session.restore()) throw redirect({ to: "/recordings" });
  },
});

const signInSearch = (raw: Record<string, unknown>): { redirect?: string; reset?: "done" } => ({
  // Only a path of this app: an absolute URL here would make sign-in an open redirect.
  ...(typeof raw.redirect === "string" && raw.redirect.startsWith("/") && !raw.redirect.startsWith("//") ? { redirect: raw.redirect } : {}),
  ...(raw.reset === "done" ? { reset: "done" as const } : {}),
});

const signIn = createRoute({
  getParentRoute: () => publicLayout,
  path: "/sign-in",
  validateSearch: signInSearch,
  component: lazyRouteComponent(() => import("../features/auth/components/sign-in-page"), "SignInPage"),
});

const signUp = createRoute({
  getParentRoute: () => publicLayout,
  path: "/sign-up",
  component: lazyRouteComponent(() => import("../features/auth/components/sign-up-page"), "SignUpPage"),
});

const forgotPassword = createRoute({
  getParentRoute: () => publicLayout,
  path: "/forgot-password",
  component: lazyRouteComponent(() => import("../features/auth/components/forgot-password-page"), "ForgotPasswordPage"),
});

// The pages of e-mailed links work signed in or out: the same card as sign-in, without its redirect.
const emailLinkLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: "email-link",
  component: PublicLayout,
  beforeLoad: () => session.restore(),
});

const verifyEmail = createRoute({
  getParentRoute: () => emailLinkLayout,
  path: "/verify-email",
  component: lazyRouteComponent(() => import("../features/auth/components/verify-email-page"), "VerifyEmailPage"),
});

const resetPassword = createRoute({
  getParentRoute: () => emailLinkLayout,
  path: "/reset-password",
  component: lazyRouteComponent(() => import("../features/auth/components/reset-password-page"), "ResetPasswordPage"),
});

// A share link's page: for anyone, signed in or not, outside both other layouts.
const shareLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: "share",
  component: ShareLayout,
});

const publicShare = createRoute({
  getParentRoute: () => shareLayout,
  path: "/s/$token",
  component: lazyRouteComponent(() => import("../features/shares/components/public-share-page"), "PublicSharePage"),
});

const appLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  component: AppLayout,
  beforeLoad: async ({ location }) => {
    if (!(await session.restore())) throw redirect({ to: "/sign-in", search: { redirect: location.href } });
  },
});

const home = createRoute({
  getParentRoute: () => appLayout,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/recordings" });
  },
});

const recordings = createRoute({
  getParentRoute: () => appLayout,
  path: "/recordings",
  validateSearch: validateRecordingsSearch,
  component: lazyRouteComponent(() => import("../features/recordings/components/recordings-page"), "RecordingsPage"),
});

const recordingDetail = createRoute({
  getParentRoute: () => appLayout,
  path: "/recordings/$recordingId",
  validateSearch: validateRecordingDetailSearch,
  component: lazyRouteComponent(() => import("../features/recordings/components/recording-detail-page"), "RecordingDetailPage"),
});

const upload = createRoute({
  getParentRoute: () => appLayout,
  path: "/upload",
  component: lazyRouteComponent(() => import("../features/upload/components/upload-page"), "UploadPage"),
});
const templates = createRoute({
  getParentRoute: () => appLayout,
  path: "/templates",
  component: lazyRouteComponent(() => import("../features/templates/components/templates-page"), "TemplatesPage"),
});
const templateNew = createRoute({
  getParentRoute: () => appLayout,
  path: "/templates/new",
  component: lazyRouteComponent(() => import("../features/templates/components/template-editor-page"), "NewTemplatePage"),
});
const templateDetail = createRoute({
  getParentRoute: () => appLayout,
  path: "/templates/$templateId",
  component: lazyRouteComponent(() => import("../features/templates/components/template-editor-page"), "EditTemplatePage"),
});
const presets = createRoute({
  getParentRoute: () => appLayout,
  path: "/presets",
  component: lazyRouteComponent(() => import("../features/presets/components/presets-page"), "PresetsPage"),
});
const presetNew = createRoute({
  getParentRoute: () => appLayout,
  path: "/presets/new",
  validateSearch: validateNewPresetSearch,
  component: lazyRouteComponent(() => import("../features/presets/components/preset-editor-page"), "NewPresetPage"),
});
const presetEdit = createRoute({
  getParentRoute: () => appLayout,
  path: "/presets/$presetId",
  component: lazyRouteComponent(() => import("../features/presets/components/preset-editor-page"), "EditPresetPage"),
});
const connections = createRoute({
  getParentRoute: () => appLayout,
  path: "/connections",
  validateSearch: validateConnectionsSearch,
  component: lazyRouteComponent(() => import("../features/connections/components/connections-page"), "ConnectionsPage"),
});
const automation = createRoute({
  getParentRoute: () => appLayout,
  path: "/automation",
  validateSearch: validateAutomationSearch,
  component: lazyRouteComponent(() => import("../features/automation/components/automation-page"), "AutomationPage"),
});
const usage = createRoute({
  getParentRoute: () => appLayout,
  path: "/usage",
  component: lazyRouteComponent(() => import("../features/usage/components/usage-page"), "UsagePage"),
});
const settings = createRoute({
  getParentRoute: () => appLayout,
  path: "/settings",
  validateSearch: validateSettingsSearch,
  component: lazyRouteComponent(() => import("../features/settings/components/settings-page"), "SettingsPage"),
});
// Not an admin: the page itself answers "for administrators only" (the API answers 403 anyway).
const admin = createRoute({
  getParentRoute: () => appLayout,
  path: "/admin",
  validateSearch: validateAdminSearch,
  component: lazyRouteComponent(() => import("../features/admin/components/admin-page"), "AdminPage"),
});
const adminUser = createRoute({
  getParentRoute: () => appLayout,
  path: "/admin/users/$userId",
  component: lazyRouteComponent(() => import("../features/admin/components/admin-user-page"), "AdminUserPage"),
});

const routeTree = rootRoute.addChildren([
  publicLayout.addChildren([signIn, signUp, forgotPassword]),
  emailLinkLayout.addChildren([verifyEmail, resetPassword]),
  shareLayout.addChildren([publicShare]),
  appLayout.addChildren([home, recordings, recordingDetail, upload, templates, templateNew, templateDetail, presets, presetNew, presetEdit, connections, automation, usage, settings, admin, adminUser]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  defaultNotFoundComponent: NotFound,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
