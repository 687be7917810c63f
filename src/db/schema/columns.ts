import { integer } from "drizzle-orm/sqlite-core";

/** Timestamps are stored as UTC milliseconds since the epoch, everywhere. */
export const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });

export const timestamps = {
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
};
