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
	"  id INTEGER PRIMARY KEY,"
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

const char *const store_migrations[] = {
	migration_1,
};
const int store_migration_count = (int)ARRAY_LEN(store_migrations);
