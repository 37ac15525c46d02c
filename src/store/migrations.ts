/**
 * Numbered schema migrations. The store's version is `PRAGMA user_version`; each
 * step runs in its own BEGIN IMMEDIATE transaction so concurrent processes that
 * open a fresh store apply it exactly once. Append new steps; never edit old ones.
 */
export interface Migration {
  version: number
  description: string
  sql: string
}

/** Marks a SQLite file as a roomsim store ("RMSM"), so any other database is refused. */
export const APPLICATION_ID = 0x524d534d

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, rooms, memberships, messages, plugin records, event log',
    sql: `
      PRAGMA application_id = ${APPLICATION_ID};
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        roles TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
      );
      CREATE TABLE rooms (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT,
        type TEXT NOT NULL CHECK (type IN ('c', 'p', 'd', 'l')),
        creator_id TEXT NOT NULL REFERENCES users (id),
        is_default INTEGER NOT NULL DEFAULT 0,
        is_read_only INTEGER NOT NULL DEFAULT 0,
        display_system_messages INTEGER NOT NULL DEFAULT 1,
        description TEXT,
        custom_fields TEXT NOT NULL DEFAULT '{}',
        parent_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE memberships (
        room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users (id),
        joined_at TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        sender_id TEXT NOT NULL REFERENCES users (id),
        text TEXT NOT NULL,
        plugin TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX messages_by_room ON messages (room_id, created_at);
      CREATE TABLE plugin_records (
        id TEXT PRIMARY KEY,
        plugin TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX plugin_records_by_plugin ON plugin_records (plugin);
      CREATE TABLE plugin_record_associations (
        record_id TEXT NOT NULL REFERENCES plugin_records (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (record_id, model, key)
      );
      CREATE INDEX associations_by_key ON plugin_record_associations (model, key);
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        parent_seq INTEGER,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT,
        room_id TEXT,
        room_name TEXT,
        actor TEXT,
        data TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX events_by_room ON events (room_id);
    `,
  },
  {
    version: 2,
    description: 'installed plugins: registrations with run position and enabled flag',
    sql: `
      CREATE TABLE installed_plugins (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('package', 'link')),
        spec TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        position INTEGER NOT NULL,
        installed_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'plugin record ids are unique per plugin, not across plugins',
    // Two plugins may both keep a record called "config": the key becomes (plugin, id).
    sql: `
      ALTER TABLE plugin_record_associations RENAME TO old_plugin_record_associations;
      ALTER TABLE plugin_records RENAME TO old_plugin_records;
      CREATE TABLE plugin_records (
        plugin TEXT NOT NULL,
        id TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (plugin, id)
      );
      CREATE TABLE plugin_record_associations (
        plugin TEXT NOT NULL,
        record_id TEXT NOT NULL,
        model TEXT NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (plugin, record_id, model, key),
        FOREIGN KEY (plugin, record_id) REFERENCES plugin_records (plugin, id) ON DELETE CASCADE
      );
      INSERT INTO plugin_records (plugin, id, data, created_at, updated_at)
        SELECT plugin, id, data, created_at, updated_at FROM old_plugin_records;
      INSERT INTO plugin_record_associations (plugin, record_id, model, key)
        SELECT r.plugin, a.record_id, a.model, a.key FROM old_plugin_record_associations a JOIN old_plugin_records r ON r.id = a.record_id;
      DROP TABLE old_plugin_record_associations;
      DROP TABLE old_plugin_records;
      CREATE INDEX associations_by_key ON plugin_record_associations (plugin, model, key);
    `,
  },
  {
    version: 4,
    description: 'messages keep what apps set besides the text (blocks, attachments, alias, emoji, avatar, thread…)',
    // One JSON column: the fields are read back whole, never queried one by one.
    sql: `ALTER TABLE messages ADD COLUMN extras TEXT;`,
  },
  {
    version: 5,
    description: 'event log: the pid of a post stage still running, so a killed one shows as interrupted',
    sql: `
      ALTER TABLE events ADD COLUMN post_pid INTEGER;
      CREATE INDEX events_post_pending ON events (post_pid) WHERE post_pid IS NOT NULL;
    `,
  },
  {
    version: 6,
    description: 'indexes for every lookup; rooms keep their message count',
    // An index's entries end with the rowid, so (room_id) alone serves "WHERE room_id = ? ORDER BY rowid" without a sort.
    // The count is kept by triggers so a room's messageCount is one read however many messages it has.
    sql: `
      CREATE INDEX IF NOT EXISTS memberships_by_user ON memberships (user_id);
      CREATE INDEX IF NOT EXISTS memberships_in_order ON memberships (room_id);
      CREATE INDEX IF NOT EXISTS events_by_room_name ON events (room_name);
      CREATE INDEX IF NOT EXISTS associations_of_record ON plugin_record_associations (plugin, record_id);
      CREATE INDEX IF NOT EXISTS plugin_records_in_order ON plugin_records (plugin, created_at);
      ALTER TABLE rooms ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
      UPDATE rooms SET message_count = (SELECT count(*) FROM messages WHERE messages.room_id = rooms.id);
      CREATE TRIGGER IF NOT EXISTS messages_counted AFTER INSERT ON messages BEGIN
        UPDATE rooms SET message_count = message_count + 1 WHERE id = new.room_id;
      END;
      CREATE TRIGGER IF NOT EXISTS messages_uncounted AFTER DELETE ON messages BEGIN
        UPDATE rooms SET message_count = message_count - 1 WHERE id = old.room_id;
      END;
    `,
  },
]

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version
