/*
 * schema.c: the database's schema, one migration per version.
 *
 * migrations[i] takes a database from version i to version i + 1 (the
 * version is PRAGMA user_version).  A released migration is never edited:
 * a change is a new entry at the end.  Each runs inside the transaction
 * that store_open() holds, so a failure leaves the old schema in place.
 */
#include "store/store-private.h"

static const char migration_1[] =
	/* Members of this camp (domain IS NULL) and remote actors alike. */
	"CREATE TABLE accounts ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  username TEXT NOT NULL COLLATE NOCASE,"
	"  domain TEXT COLLATE NOCASE,"
	"  display_name TEXT NOT NULL DEFAULT '',"
	"  bio TEXT NOT NULL DEFAULT '',"
	"  is_admin INTEGER NOT NULL DEFAULT 0,"
	"  locked INTEGER NOT NULL DEFAULT 0,"
	"  default_visibility INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  suspended_at INTEGER NOT NULL DEFAULT 0,"
	"  suspend_reason TEXT NOT NULL DEFAULT '',"
	"  coc_accepted_at INTEGER NOT NULL DEFAULT 0,"
	"  onboarded_at INTEGER NOT NULL DEFAULT 0,"
	"  welcome_note TEXT NOT NULL DEFAULT '',"
	"  uri TEXT UNIQUE"
	");"
	"CREATE UNIQUE INDEX accounts_acct ON accounts(username, ifnull(domain, ''));"
	"CREATE TABLE ssh_keys ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  type TEXT NOT NULL,"
	"  base64 TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL UNIQUE,"
	"  comment TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  last_used_at INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX ssh_keys_account ON ssh_keys(account_id);"
	/* Only a hash of each code is kept, so a copy of the database does
	 * not hand out working invites. */
	"CREATE TABLE invites ("
	"  id INTEGER PRIMARY KEY,"
	"  code_hash TEXT NOT NULL UNIQUE,"
	"  hint TEXT NOT NULL,"
	"  is_admin INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL DEFAULT 0,"
	"  used_at INTEGER NOT NULL DEFAULT 0,"
	"  used_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL"
	");"
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	");";

/* Ids of accounts and posts are never reused (AUTOINCREMENT): a post's
 * URL, a pending delivery or a notification must never come to name
 * something else after a delete. */

/* The model: posts and what hangs off them, relationships, home feeds,
 * notifications, the outbox, neighbor camps. */
static const char migration_2[] =
	/* A member who leaves keeps a tombstone row: the name stays taken and
	 * federation can still sign the Delete that tells other servers. */
	"ALTER TABLE accounts ADD COLUMN deleted_at INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE posts ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  local INTEGER NOT NULL,"
	"  uri TEXT UNIQUE,"
	"  url TEXT,"
	"  content TEXT NOT NULL DEFAULT '',"
	"  cw TEXT NOT NULL DEFAULT '',"
	"  visibility INTEGER NOT NULL,"
	"  in_reply_to_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,"
	"  in_reply_to_uri TEXT,"
	"  in_reply_to_account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
	"  thread_id INTEGER NOT NULL DEFAULT 0,"
	"  boost_of_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,"
	"  conversation TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  edited_at INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX posts_account ON posts(account_id, id);"
	"CREATE INDEX posts_reply ON posts(in_reply_to_id);"
	"CREATE INDEX posts_reply_account ON posts(in_reply_to_account_id);"
	"CREATE INDEX posts_thread ON posts(thread_id, id);"
	"CREATE INDEX posts_boost ON posts(boost_of_id, account_id);"
	/* The camp and federated timelines scan these partial indexes. */
	"CREATE INDEX posts_camp ON posts(id)"
	"  WHERE local = 1 AND boost_of_id IS NULL AND visibility IN (0, 4, 5);"
	"CREATE INDEX posts_federated ON posts(id)"
	"  WHERE visibility = 0 AND boost_of_id IS NULL;"
	"CREATE INDEX posts_direct ON posts(conversation, id) WHERE visibility = 3;"
	"CREATE TABLE post_edits ("
	"  id INTEGER PRIMARY KEY,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  content TEXT NOT NULL,"
	"  cw TEXT NOT NULL,"
	"  replaced_at INTEGER NOT NULL"
	");"
	"CREATE INDEX post_edits_post ON post_edits(post_id, id);"
	"CREATE TABLE entities ("
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  idx INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL,"
	"  value TEXT NOT NULL,"
	"  account_id INTEGER,"
	"  PRIMARY KEY (post_id, idx)"
	") WITHOUT ROWID;"
	"CREATE TABLE mentions ("
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  explicit INTEGER NOT NULL,"
	"  PRIMARY KEY (post_id, account_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX mentions_account ON mentions(account_id, post_id);"
	"CREATE TABLE tags ("
	"  tag TEXT NOT NULL,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (tag, post_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX tags_post ON tags(post_id);"
	"CREATE TABLE follows ("
	"  follower_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  target_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  state INTEGER NOT NULL,"
	"  uri TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (follower_id, target_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX follows_target ON follows(target_id, state);"
	"CREATE TABLE blocks ("
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  target_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (account_id, target_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX blocks_target ON blocks(target_id);"
	"CREATE TABLE mutes ("
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  target_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (account_id, target_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX mutes_target ON mutes(target_id);"
	"CREATE TABLE favourites ("
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (post_id, account_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX favourites_account ON favourites(account_id);"
	/* Fan-out on write: each member's home timeline is an index scan. */
	"CREATE TABLE home_feed ("
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (account_id, post_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX home_feed_post ON home_feed(post_id);"
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  kind INTEGER NOT NULL,"
	"  from_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  read INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX notifications_account ON notifications(account_id, id);"
	"CREATE INDEX notifications_post ON notifications(post_id);"
	"CREATE INDEX notifications_from ON notifications(from_id);"
	/* Items keep plain ids, not foreign keys: a Delete must outlive the
	 * post it deletes. */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  kind INTEGER NOT NULL,"
	"  actor_id INTEGER NOT NULL,"
	"  post_id INTEGER NOT NULL DEFAULT 0,"
	"  object_post_id INTEGER NOT NULL DEFAULT 0,"
	"  object_uri TEXT,"
	"  target_id INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  done INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX outbox_pending ON outbox(id) WHERE done = 0;"
	"CREATE TABLE outbox_recipients ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  account_id INTEGER NOT NULL,"
	"  PRIMARY KEY (outbox_id, account_id)"
	") WITHOUT ROWID;"
	/* Camps this camp trusts; state 1 = agreed by both. */
	"CREATE TABLE neighbors ("
	"  domain TEXT PRIMARY KEY COLLATE NOCASE,"
	"  actor_uri TEXT,"
	"  state INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL"
	");";

/* Federation (issue 6): what the federation child keeps for itself.
 * Only new tables, so it applies in any order after migration 1. */
static const char migration_federation[] =
	/* A remote actor's addresses and public key, cached from its actor
	 * document; goes with its account. */
	"CREATE TABLE fed_actors ("
	"  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,"
	"  inbox TEXT NOT NULL,"
	"  shared_inbox TEXT,"
	"  followers TEXT,"
	"  url TEXT,"
	"  key_id TEXT,"
	"  key_pem TEXT,"
	"  fetched_at INTEGER NOT NULL"
	");"
	"CREATE INDEX fed_actors_key ON fed_actors(key_id);"
	/* Members' RSA key pairs.  No foreign key on purpose: a member who
	 * leaves still signs the Delete that tells other servers. */
	"CREATE TABLE fed_member_keys ("
	"  account_id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL,"
	"  private_pem TEXT NOT NULL,"
	"  public_pem TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	/* One signed POST waiting to reach one inbox (a shared inbox where
	 * the peer has one).  signer is a member's username, or '' for the
	 * instance actor.  taken marks a job in flight in this run. */
	"CREATE TABLE fed_deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  activity_id TEXT NOT NULL,"
	"  inbox TEXT NOT NULL,"
	"  domain TEXT NOT NULL,"
	"  signer TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  taken INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  UNIQUE(activity_id, inbox)"
	");"
	"CREATE INDEX fed_deliveries_next ON fed_deliveries(next_at);"
	/* Domains that stopped answering; failing for days makes one
	 * unavailable, tried rarely. */
	"CREATE TABLE fed_domains ("
	"  domain TEXT PRIMARY KEY,"
	"  failing_since INTEGER NOT NULL DEFAULT 0,"
	"  last_ok INTEGER NOT NULL DEFAULT 0"
	");"
	/* Inbound activity ids already applied (a repeat changes nothing),
	 * with what they were, so an Undo that names only an id can be
	 * understood. */
	"CREATE TABLE fed_seen ("
	"  activity_id TEXT PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  actor_id INTEGER NOT NULL,"
	"  object TEXT NOT NULL DEFAULT '',"
	"  received_at INTEGER NOT NULL"
	");"
	/* Follow activities members sent, to undo them by their own id. */
	"CREATE TABLE fed_follows_out ("
	"  follower_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  target_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  activity_id TEXT NOT NULL,"
	"  PRIMARY KEY (follower_id, target_id)"
	");"
	/* Reports (Flag) from other servers, kept for the moderation queue. */
	"CREATE TABLE fed_flags ("
	"  id INTEGER PRIMARY KEY,"
	"  activity_id TEXT,"
	"  reporter_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
	"  objects TEXT NOT NULL,"
	"  content TEXT NOT NULL DEFAULT '',"
	"  received_at INTEGER NOT NULL,"
	"  resolved_at INTEGER NOT NULL DEFAULT 0"
	");"
	/* Move activities: an account announced its new home. */
	"CREATE TABLE fed_moves ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  target_uri TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL"
	");";

/* Who is in which direct conversation, so listing a member's DMs reads
 * their conversations rather than every post that mentions them.  Rows
 * are only added (an emptied conversation just lists nothing). */
static const char migration_dm_members[] =
	"CREATE TABLE dm_members ("
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  conversation TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, conversation)"
	") WITHOUT ROWID;"
	"INSERT OR IGNORE INTO dm_members(account_id, conversation)"
	"  SELECT account_id, conversation FROM posts WHERE visibility = 3"
	"  UNION SELECT m.account_id, p.conversation FROM mentions m"
	"  JOIN posts p ON p.id = m.post_id WHERE p.visibility = 3;";

/* Inbound activity ids are remembered per actor: with activity_id alone
 * as the key, one actor could use up the id of another's future
 * activity (a Like sent with the id of someone's next Delete made the
 * Delete look like a repeat). */
static const char migration_seen_per_actor[] =
	"CREATE TABLE fed_seen_per_actor ("
	"  actor_id INTEGER NOT NULL,"
	"  activity_id TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  object TEXT NOT NULL DEFAULT '',"
	"  received_at INTEGER NOT NULL,"
	"  PRIMARY KEY (actor_id, activity_id)"
	") WITHOUT ROWID;"
	"INSERT INTO fed_seen_per_actor(actor_id, activity_id, type, object, received_at)"
	"  SELECT actor_id, activity_id, type, object, received_at FROM fed_seen;"
	"DROP TABLE fed_seen;"
	"ALTER TABLE fed_seen_per_actor RENAME TO fed_seen;";

/* A key id names one actor's key.  fed_actors_key was not unique, and an
 * actor could declare another's key id: lookups by key id then found
 * whichever row came first.  Keys that are not under their actor's id
 * (the actor id, or it followed by '#' or '/') are forgotten, and so are
 * key ids two actors claim; each is fetched again when next used. */
static const char migration_unique_key_id[] =
	"UPDATE fed_actors SET key_id = NULL, key_pem = NULL, fetched_at = 0"
	"  WHERE key_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a"
	"    WHERE a.id = fed_actors.account_id AND (fed_actors.key_id = a.uri"
	"      OR substr(fed_actors.key_id, 1, length(a.uri) + 1)"
	"         IN (a.uri || '#', a.uri || '/')"
	"      OR (substr(a.uri, -1) = '/'"
	"          AND substr(fed_actors.key_id, 1, length(a.uri)) = a.uri)));"
	"UPDATE fed_actors SET key_id = NULL, key_pem = NULL, fetched_at = 0"
	"  WHERE key_id IN (SELECT key_id FROM fed_actors WHERE key_id IS NOT NULL"
	"    GROUP BY key_id HAVING count(*) > 1);"
	"DROP INDEX fed_actors_key;"
	"CREATE UNIQUE INDEX fed_actors_key ON fed_actors(key_id);";

/* A member's profile page counts their public posts on every view
 * (issue 19): this index answers it without reading a single post, where
 * the busiest member of a million-post camp otherwise costs 10 ms. */
static const char migration_posts_account_public[] =
	"CREATE INDEX posts_account_public ON posts(account_id, visibility, local,"
	"  boost_of_id) WHERE local = 1 AND boost_of_id IS NULL;";

/* Who is here (presence.c): one row per open session, ssh command or
 * client, kept fresh by the session's heartbeat; a row whose heartbeat
 * stopped (a session that crashed) stops counting as online and is
 * folded into last_seen by the next session to begin.  last_seen keeps
 * when each member was last here once their sessions have ended.  Row
 * ids are never reused (AUTOINCREMENT): a crashed session that wakes up
 * must not touch or end a newer session's row. */
static const char migration_presence[] =
	"CREATE TABLE presence ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  pid INTEGER NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  touched_at INTEGER NOT NULL"
	");"
	"CREATE INDEX presence_account ON presence(account_id);"
	"CREATE INDEX presence_touched ON presence(touched_at);"
	"CREATE TABLE last_seen ("
	"  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL"
	");";

const char *const store_migrations[] = {
	migration_1,
	migration_2,
	migration_federation,
	migration_dm_members,
	migration_seen_per_actor,
	migration_unique_key_id,
	migration_posts_account_public,
	migration_presence,
};
const int store_migration_count = (int)ARRAY_LEN(store_migrations);
