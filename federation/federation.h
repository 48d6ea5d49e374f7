/*
 * federation.h: the camp's ActivityPub side: the HTTP server, the JSON of
 * actors, notes and activities, HTTP signatures, the signed fetcher, the
 * delivery queue's worker, and what inbound activities do to the model.
 *
 * federation/ calls store/ and common/ only.  Everything that comes from
 * another server is hostile: it is size-limited, parsed defensively,
 * validated as UTF-8 before it is stored, and never makes the camp fetch
 * a private address unless the operator allowed it.
 */
#ifndef CAMP_FEDERATION_H
#define CAMP_FEDERATION_H

#include <jansson.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/socket.h>

#include "common/common.h"
#include "store/store.h"

#define AS_PUBLIC "https://www.w3.org/ns/activitystreams#Public"
#define AP_MAX_BODY (1024 * 1024) /* inbound bodies and fetched documents */
/* The media type camp serves and sends ActivityPub documents as, and the
 * Accept of its fetches: both types the ActivityPub spec names. */
#define AP_CONTENT_TYPE "application/activity+json"
#define AP_ACCEPT                                 \
	AP_CONTENT_TYPE ", application/ld+json; " \
			"profile=\"https://www.w3.org/ns/activitystreams\""

struct fetch_limit;

/* What every federation function works with: a store (one per process,
 * and one per HTTP or lookup thread in the federation child: a store is
 * never shared between threads) and the camp's configuration, read-only
 * (both owned by whoever made the fed).  In the HTTP threads, limit
 * bounds the fetches they make for inbound requests (shared, owned by
 * the server); elsewhere it is NULL.  With deadline_ms set (a mono_ms()
 * time), every fetch gives up by then, redirects included. */
struct fed {
	struct store *st;
	const struct config *cfg;
	const char *base; /* public_url, no trailing slash */
	struct fetch_limit *limit;
	int64_t deadline_ms; /* 0: each fetch has only its own timeout */
	const char *dir;     /* the camp folder (conduct.txt); NULL: none */
};

/* ---- fed-main.c: the federation child ---------------------------------- */

/* The federation child's entry point: opens DIR's config and store, runs
 * the HTTP(S) server, the lookup server and the delivery worker until
 * SIGTERM or SIGINT.  Returns an exit status (0 on a clean stop).  `camp
 * serve` has the listener run it in a forked child; `camp federation
 * DIR` runs it in the foreground. */
int federation_main(const char *dir);

/* ---- resolve.c: finding remote accounts by handle ------------------------ */

/* Resolves "name@domain" (a leading '@' allowed) to a remote account:
 * WebFinger over HTTPS, then a signed fetch of the actor (signed by the
 * instance actor), then account_upsert_remote with its inbox and key.
 * Blocks for at most about timeout_ms in all (0: LOOKUP_TIMEOUT_MAX_MS).
 * The lookup server calls it for every member's session (sessions never
 * fetch themselves); it needs only a store of its own.  Stores the
 * account id.  CAMP_ENOENT when the account does not exist, CAMP_EIO when
 * the server cannot be reached, CAMP_EINVAL for a malformed answer,
 * CAMP_ETIMEDOUT when time ran out between fetches. */
int federation_resolve(struct store *st, const struct config *cfg, const char *acct,
		       int timeout_ms, int64_t *account_id);

/* ---- lookup-serve.c: remote lookups for members' sessions ---------------- */

struct lookup_server;
/* Serves the lookup protocol (lookup/lookup.h) on DIR/lookup.sock (mode
 * 0600; a stale one is replaced) from threads of its own, each with its
 * own store, until stopped.  cfg must outlive the server.  Call it from
 * the federation child with every shared library initialized (as for
 * http_server_start).  0 with *out, or CAMP_EIO. */
int lookup_server_start(const char *dir, const struct config *cfg,
			struct lookup_server **out);
/* Removes the socket, so new lookups fail at once, then waits for the
 * lookups under way (each bounded by its time limit).  NULL is fine. */
void lookup_server_stop(struct lookup_server *s);

/* ---- ap-json.c: ActivityStreams JSON without JSON-LD -------------------- */

/* Parses a document of at most AP_MAX_BODY bytes; jansson checks UTF-8
 * and refuses NUL.  NULL with err_set on failure; caller json_decref()s. */
json_t *ap_parse(const char *text, size_t len);
/* to, cc, tag, object...: each may be absent, one value or an array.
 * ap_len() counts the values; ap_item() returns the i-th (borrowed). */
size_t ap_len(json_t *v);
json_t *ap_item(json_t *v, size_t i);
/* o[key] when it is a string, else NULL (borrowed). */
const char *ap_str(json_t *o, const char *key);
/* The id of a value that is either a URL string or an object with an
 * "id" (borrowed); NULL otherwise. */
const char *ap_id(json_t *v);
/* The id of o[key]'s first value ("actor", "object", "attributedTo"...),
 * borrowed; NULL when it has none. */
const char *ap_first_id(json_t *o, const char *key);
/* The first string in o.type (which may be an array); NULL if none. */
const char *ap_type(json_t *o);
/* 1 when o.type is or contains type. */
int ap_is_type(json_t *o, const char *type);
/* 1 for the public collection in any of its spellings. */
int ap_is_public(const char *addr);
/* 1 when addr is among o's to, cc, bto, bcc or audience. */
int ap_addressed_to(json_t *o, const char *addr);
/* 1 when o is addressed to the public collection. */
int ap_addressed_public(json_t *o, int *in_to);
/* Compact serialization; caller frees. */
char *ap_dump(json_t *v);
/* A published/updated time: RFC 3339 with up to any fraction digits and
 * any offset.  0 or CAMP_EINVAL. */
int ap_time(const char *s, int64_t *t);
/* The @context camp writes on everything (new reference). */
json_t *ap_context(void);
/* 1 if s is an http(s) URL of sane length in valid UTF-8 without spaces
 * of any kind, controls (C0 and C1), bidi controls or marks, or other
 * invisible format characters: nothing that could make it display as
 * another URL. */
int ap_url_ok(const char *s);
/* 1 if both URLs have the same scheme, host and port: a server speaks
 * only for ids under its own origin. */
int ap_same_origin(const char *a, const char *b);
/* 1 if s is valid UTF-8 of at most max bytes. */
int ap_text_ok(const char *s, size_t max);

/* ---- html.c: remote HTML to text, member text to HTML ------------------ */

/* A mention link's target and the acct to show for it ("bob@host"). */
struct html_mention {
	const char *href;
	const char *acct;
};
/* Reduces remote HTML to plain text with libxml2: paragraphs and <br>
 * become newlines, links keep their text plus their URL when the text
 * does not show it, mentions become @name@host (from m, or the link's
 * host), scripts and styles vanish, control characters other than \n are
 * dropped.  Never fails: returns a new string the caller frees. */
char *html_to_text(const char *html, size_t len, const struct html_mention *m, int nm);
/* Appends HTML for a member's plain text: escaped, newlines as <br> and
 * paragraphs, entities (mentions, tags, links) as links.  href_of gives
 * the link of a mention entity (its actor's profile); NULL leaves it as
 * text. */
void text_to_html(struct buf *out, const char *text, const struct entity *e, int ne,
		  char *(*href_of)(void *ctx, const struct entity *e), void *ctx,
		  const char *base);
/* Appends s with & < > " ' as entities: safe in HTML (and XML) text and
 * in quoted attribute values.  Every string put into markup goes through
 * here or text_to_html(). */
void html_escape(struct buf *out, const char *s);

/* ---- keys.c: RSA keys and base64 ---------------------------------------- */

/* A new RSA 2048 key pair as PEM (PKCS#8 private, SPKI public); caller
 * frees both. */
int rsa_generate(char **private_pem, char **public_pem);
/* RSASSA-PKCS1-v1_5 over SHA-256; the signature as base64 (caller frees). */
int rsa_sign_sha256(const char *private_pem, const void *data, size_t len,
		    char **sig_b64);
/* 0 when sig_b64 is a valid signature of data by public_pem (SPKI or
 * PKCS#1 PEM), else CAMP_EPERM (bad signature) or CAMP_EINVAL (bad key
 * or base64). */
int rsa_verify_sha256(const char *public_pem, const void *data, size_t len,
		      const char *sig_b64);
/* base64 (standard alphabet, padded); caller frees. */
char *base64_encode(const void *data, size_t len);

/* ---- sig-cavage.c: HTTP Signatures, draft-cavage ------------------------ */

#define SIG_DATE_WINDOW 3600 /* seconds a Date may be off, either way */

/* A request as the signature code sees it.  header() returns the value
 * of a header by lowercase name, or NULL. */
struct http_msg {
	const char *method; /* "GET", "POST" */
	const char *target; /* path with query, as sent */
	const char *(*header)(void *ctx, const char *lname);
	void *ctx;
	const char *body;
	size_t body_len;
	int has_body;
};

/* The parameters of a Signature header (or "Authorization: Signature"). */
struct sig_params {
	char *key_id;
	char *algorithm; /* NULL when absent */
	char *headers;	 /* "date" when absent, as the draft says */
	char *signature;
};
/* Parses a Signature header value; CAMP_EINVAL when malformed. */
int sig_parse(const char *value, struct sig_params *out);
void sig_params_free(struct sig_params *p);
/* The Signature parameters of m (from Signature or Authorization);
 * CAMP_EPERM when it has neither. */
int sig_from_msg(const struct http_msg *m, struct sig_params *out);
/* Builds the string to sign for the listed headers ("(request-target)
 * host date ..."); CAMP_EINVAL if a listed header is missing.  With
 * strip_query, (request-target) leaves out the query (some peers sign
 * it that way). */
int sig_signing_string(const struct http_msg *m, const char *headers, int strip_query,
		       struct buf *out);
/* Checks m against p and public_pem at time now: algorithm rsa-sha256,
 * hs2019 or absent; (request-target), host and date signed (whose Host
 * it names is the caller's to check); the Date within
 * SIG_DATE_WINDOW; with a body, digest signed and matching; then the RSA
 * signature.  0, or CAMP_EPERM with the reason in err_last().  Inbound
 * requests go through sig_verify_request(), which calls this. */
int sig_verify(const struct http_msg *m, const struct sig_params *p,
	       const char *public_pem, int64_t now);

/* Headers for a signed request: the caller sends Host, Date, Digest (with
 * a body), Content-Type (with a body) and Signature exactly as here. */
struct sig_out {
	char host[256];
	char date[40];
	char digest[64]; /* "" without a body */
	char *signature; /* the Signature header value; caller frees */
};
/* Signs method url (with body, or NULL for none) as key_id:
 * (request-target) host date [digest content-type]. */
int sig_sign_request(const char *private_pem, const char *key_id, const char *method,
		     const char *url, const char *body, size_t len,
		     const char *content_type, int64_t now, struct sig_out *out);

/* ---- sig-headers.c: Digest, Date, Host of a signed request -------------- */

/* "SHA-256=<base64>" of body into out (at least 64 bytes). */
void digest_header(const void *body, size_t len, char out[64]);
/* 0 when header holds a SHA-256 or SHA-512 digest of body that matches
 * (several comma-separated values allowed); CAMP_EPERM otherwise. */
int digest_check(const char *header, const void *body, size_t len);
/* RFC 7231 date ("Sun, 06 Nov 1994 08:49:37 GMT") into out[40], and
 * back (also accepting the obsolete RFC 850 and asctime forms). */
void http_date(int64_t t, char out[40]);
int http_date_parse(const char *s, int64_t *t);
/* Splits an http(s) URL into the Host header value and the request
 * target (path and query); caller frees both. */
int url_host_target(const char *url, char **host, char **target);

/* ---- sig-verify.c: who signed an inbound request ------------------------ */

/* Verifies a signed request (inbox POST or GET) with the scheme its
 * headers use (draft-cavage; one table picks it) and stores the remote
 * account that signed it, fetching the key's actor when it is unknown
 * and once more when the key may have rotated.  The request must be
 * signed for this camp (its Host signed, and ours: fed_host_is_ours), by
 * a key that is not the camp's own.  0, CAMP_EPERM when it does not
 * verify (the reason in err_last()), or CAMP_ELIMIT when its unknown key
 * cannot be fetched now (fetch_limit). */
int sig_verify_request(struct fed *f, const struct http_msg *m, int64_t *account_id);

/* ---- ssrf.c: where the camp may connect --------------------------------- */

/* 1 if the address is loopback, private, link-local, unique-local,
 * multicast, reserved or unspecified (IPv4-mapped and NAT64 addresses
 * judged by the IPv4 inside). */
int net_addr_is_private(const struct sockaddr *sa);

/* ---- ident.c: URLs of local things and local keys ------------------------ */

char *fed_actor_url(const struct fed *f, const char *username);
char *fed_post_url(const struct fed *f, int64_t post_id);
char *fed_instance_url(const struct fed *f);
/* The member username of a local actor URL, or NULL (caller frees). */
char *fed_local_username(const struct fed *f, const char *url);
/* The post id of a local post URL, or 0. */
int64_t fed_local_post_id(const struct fed *f, const char *url);
/* 1 when host (a Host header's value) names this camp: the host and port
 * of public_url, or the domain, case-insensitively, a missing port being
 * the public URL's scheme's default (so "camp.example:443" is
 * "camp.example" behind an https proxy that forwards $http_host).  A
 * signed request for any other host was meant for another server. */
int fed_host_is_ours(const struct fed *f, const char *host);
/* 1 when url's host and port are this camp's (as fed_host_is_ours, the
 * port defaulting to url's own scheme's): the camp never fetches those. */
int fed_url_is_ours(const struct fed *f, const char *url);
/* The key pair of a member, made on first use.  Caller frees both. */
int fed_member_keys(struct fed *f, int64_t account_id, const char *username,
		    char **private_pem, char **public_pem);
/* The instance actor's key pair, made on first use.  Caller frees. */
int fed_instance_keys(struct fed *f, char **private_pem, char **public_pem);
/* The private key and key id of a signer (member username, or "" for the
 * instance actor).  Caller frees both. */
int fed_signer(struct fed *f, const char *signer, char **private_pem, char **key_id);
/* The host name the instance actor uses as its preferredUsername. */
char *fed_instance_username(const struct fed *f);

/* ---- fetch.c: outbound HTTP with libcurl -------------------------------- */

struct fed_response {
	long status;
	struct buf body;
	char *content_type; /* NULL if none */
	char *location;	    /* Location of a redirect, or NULL */
	char *date;	    /* the answer's Date, or NULL */
	char *url;	    /* the URL that answered (after redirects) */
};
void fed_response_free(struct fed_response *r);
/* Notes how far this machine's clock is from the server at url, from
 * the Date of its answer (clock_observe, for camp doctor): at most once
 * a minute per process, since it is a write.  Thread-safe; a missing or
 * unreadable date is ignored. */
void fed_clock_seen(struct store *st, const char *url, const char *date);
/* Sets what every outbound transfer shares: protocols (https, and http
 * only when private addresses are allowed), the private-address guard
 * on every connection, the system CAs plus tls_ca_file, timeouts, the
 * 1 MB body limit (with out->body as the sink), the User-Agent. */
void fed_curl_setup(const struct config *cfg, void *curl, struct fed_response *out,
		    long timeout_s);
/* A GET signed by signer (member username or "" for the instance actor),
 * following up to three redirects, each re-signed, to any origin (for
 * WebFinger); out->url says which URL answered.  Never to this camp
 * itself (CAMP_EPERM): that would only tie up one of its own threads.
 * 0 with out filled (any status), or CAMP_EIO when no answer came. */
int fed_get(struct fed *f, const char *url, const char *accept, const char *signer,
	    long timeout_s, struct fed_response *out);
/* Fetches an ActivityPub document: 200 and JSON, or an error
 * (CAMP_ENOENT for 404/410).  Redirects are followed only within url's
 * origin (CAMP_EPERM otherwise), so the document comes from the origin
 * the caller checks its ids against.  With f->limit, CAMP_ELIMIT at once
 * when too many fetches are under way already (to url's origin, or in
 * all).  *out is the caller's to decref. */
int fed_get_json(struct fed *f, const char *url, long timeout_s, json_t **out);

#define FETCH_PER_ORIGIN 8 /* fetches at once to one origin, for inbound requests */
#define FETCH_TOTAL 32	   /* and to all origins (of 200 connections) */
/* The bound on fetches that inbound requests make (keys, actors, boosted
 * notes): at most FETCH_PER_ORIGIN to one origin and FETCH_TOTAL in all,
 * so a flood of signed POSTs naming slow key URLs holds a few threads,
 * not every one.  Thread-safe; made and freed by the HTTP server. */
struct fetch_limit *fetch_limit_new(void);
void fetch_limit_free(struct fetch_limit *l);

/* ---- ap-actor.c: actors, ours and theirs -------------------------------- */

/* The Person document of a member (new reference). */
json_t *ap_person(struct fed *f, const struct account *a, const char *public_pem);
/* The instance actor's Application document. */
json_t *ap_instance_actor(struct fed *f, const char *public_pem);
/* A remote actor document, checked: an actor type, id an https (or, when
 * allowed, http) URL, an inbox, a publicKey owned by the actor whose id
 * is the actor's own (ap_key_of_actor). */
struct ap_actor {
	const char *id, *type, *username, *name, *summary_html, *inbox;
	const char *shared_inbox, *followers, *url, *key_id, *key_pem;
	int locked;
};
/* Fills out (borrowing from doc); CAMP_EINVAL with the reason. */
int ap_actor_parse(json_t *doc, struct ap_actor *out);
/* The actor type doc has (Person, Service, Application, Group or
 * Organization, static), or NULL when it is no actor. */
const char *ap_actor_type(json_t *doc);
/* 1 if key_id may name a key of actor_id: the actor id itself, or it
 * followed by a fragment or a path ("#main-key", "/main-key"), on the
 * same origin.  No actor can claim a key id under another's. */
int ap_key_of_actor(const char *key_id, const char *actor_id);
/* Stores a parsed actor: account_upsert_remote and its details. */
int ap_actor_store(struct fed *f, const struct ap_actor *a, int64_t *account_id);
/* Fetches (signed, as the instance actor) and stores the actor at url,
 * or the owner of the key at url.  With key_id not NULL, the actor must
 * list that key as its own (CAMP_EPERM otherwise), and that key is the
 * one stored.  Stores the account id. */
int ap_actor_fetch(struct fed *f, const char *url, const char *key_id,
		   int64_t *account_id);

/* ---- ap-note.c: notes and addressing ------------------------------------ */

/* Addressing as DESIGN §3 says (Mastodon's way): public to Public, cc
 * followers + mentions; unlisted to followers, cc Public + mentions;
 * followers to followers, cc mentions; direct to mentions.  Camp and
 * neighborhood levels are never addressed: returns CAMP_EPERM.  *to and
 * *cc are new arrays. */
int ap_address(enum visibility vis, const char *followers_url,
	       const char *const *mentions, int nmentions, json_t **to, json_t **cc);
/* A remote Note reduced to what the model takes. */
struct ap_note {
	const char *id, *attributed_to, *in_reply_to, *url, *published;
	char *content; /* text, from content or contentMap; owned */
	char *cw;      /* summary as text, or ""; owned */
	enum visibility visibility;
	const char **mentions; /* hrefs of Mention tags; array owned */
	int nmentions;
	const char **tags; /* Hashtag names without '#'; array owned */
	int ntags;
	int64_t created_at;
};
/* Parses a Note (or an Article or Question shown as a note: what
 * ap_note_type() names).  followers_url is the author's followers
 * collection (NULL if unknown) for telling followers-only from direct.
 * CAMP_EINVAL with a reason. */
int ap_note_parse(json_t *obj, const char *followers_url, struct ap_note *out);
/* The note type obj has (Note, Article or Question, static), or NULL
 * when it is not one camp shows. */
const char *ap_note_type(json_t *obj);
void ap_note_free(struct ap_note *n);
/* The Note of a local post (as seen by its author).  NULL for a post
 * that may not federate.  A reply to a parent that may not federate
 * (widened past a camp-only post) has no inReplyTo and does not mention
 * the parent's author unless its text does. */
json_t *ap_note_of_post(struct fed *f, const struct post *p);
/* The activity of type (Create or Update) carrying note, a Note of
 * ap_note_of_post() (taken; its @context moves to the activity): by the
 * note's author, addressed as the note is.  id is the activity's id
 * (taken); NULL gives a Create's, the note's id with "/activity", which
 * is the id both its delivery and the outbox collection show.  New
 * reference. */
json_t *ap_note_activity(const char *type, json_t *id, json_t *note);

/* ---- ap-check.c: what an inbound document is ---------------------------- */

/* The verdict on an inbound document before any database work: accepted
 * (with what it would do) or rejected, with the HTTP status it earns
 * (202 ignored, 400 malformed) and a reason.  Used by the inbox and by
 * the corpus test. */
struct ap_verdict {
	int accepted;
	int status;
	char reason[160];
};
void ap_check(json_t *doc, struct ap_verdict *v);
struct ap_activity;
/* ap_check(), returning the row of ap_activities the document was
 * accepted under (borrowed, static), or NULL when it was not accepted as
 * an activity: refused, ignored, or a document that is no activity (an
 * actor or a note, accepted with 200). */
const struct ap_activity *ap_check_activity(json_t *doc, struct ap_verdict *v);
/* The checks of ap_activities' rows: each looks at an activity of type
 * whose actor and id ap_check() has checked already, and fills v.
 * ap_check_object: an object id (Follow, Like, Delete...); create and
 * update: a note, named or embedded (an Update may carry an actor);
 * undo: something camp can undo; move: a target; flag: any object. */
void ap_check_object(json_t *doc, struct ap_verdict *v, const char *type);
void ap_check_create(json_t *doc, struct ap_verdict *v, const char *type);
void ap_check_update(json_t *doc, struct ap_verdict *v, const char *type);
void ap_check_undo(json_t *doc, struct ap_verdict *v, const char *type);
void ap_check_move(json_t *doc, struct ap_verdict *v, const char *type);
void ap_check_flag(json_t *doc, struct ap_verdict *v, const char *type);

/* ---- ap-activity.c: the activity types camp takes in -------------------- */

struct inbound; /* one activity being applied: inbox.c's own */

/* One row per activity type camp handles.  check and apply are always
 * set; the rest may be NULL. */
struct ap_activity {
	const char *type;
	int id_optional; /* may come without an id (GoToSocial's Delete) */
	int id_anywhere; /* its id need not be on its actor's origin (Undo) */
	/* ap_check()'s look at the rest of it (ap-check.c). */
	void (*check)(json_t *doc, struct ap_verdict *v, const char *type);
	/* Network work before the transaction (inbox.c): 0 to go on to
	 * apply (or, with *done set, when it was the whole of it), or
	 * CAMP_ELIMIT when the sender must try again later (503). */
	int (*prefetch)(struct inbound *in, int *done);
	/* Applies it, inside the transaction that records its id (inbox.c):
	 * 0; CAMP_ENOENT or CAMP_EEXIST when there is nothing to do (still
	 * 202); CAMP_EPERM when the actor may not (403); CAMP_EINVAL when
	 * it is malformed (400); anything else is a local failure (500). */
	int (*apply)(struct inbound *in);
	/* Undoes the actor's earlier activity of this type on object (its
	 * object's id, NULL if unknown) for an Undo; errors as apply.
	 * NULL: nothing camp keeps, so an Undo of it is ignored. */
	int (*undo)(struct inbound *in, const char *object);
	/* 1 when an activity whose signature cannot be checked needs
	 * nothing done and is answered 202, not 401 (a Delete of an actor
	 * whose key is gone with it). */
	int (*unverified_ok)(json_t *doc);
};
extern const struct ap_activity ap_activities[];
extern const size_t ap_activity_count;
/* The row of an activity type (borrowed, static), or NULL. */
const struct ap_activity *ap_activity_find(const char *type);

/* ---- inbox.c: inbound activities ---------------------------------------- */

/* Handles a POST to an inbox (shared, or a member's when username is not
 * NULL): checks it, verifies the signature (sig_verify_request), then
 * applies the activity through the model.  Returns the HTTP status to
 * answer: 202 accepted or ignored, 400 malformed, 401 bad signature,
 * 403 refused, 500 on a local failure, 503 when too many fetches are
 * under way to let this one wait for its key (the sender tries again). */
int inbox_handle(struct fed *f, const struct http_msg *m, const char *username);
/* The functions of ap_activities' rows, as struct ap_activity says:
 * appliers, undoers, prefetches (a note a Create only names, a boosted
 * note a member's followee shares) and the self-Delete test. */
int inbox_create(struct inbound *in);
int inbox_update(struct inbound *in);
int inbox_delete(struct inbound *in);
int inbox_follow(struct inbound *in);
int inbox_accept(struct inbound *in);
int inbox_reject(struct inbound *in);
int inbox_undo(struct inbound *in);
int inbox_like(struct inbound *in);
int inbox_announce(struct inbound *in);
int inbox_block(struct inbound *in);
int inbox_move(struct inbound *in);
int inbox_flag(struct inbound *in);
int inbox_undo_follow(struct inbound *in, const char *object);
int inbox_undo_like(struct inbound *in, const char *object);
int inbox_undo_announce(struct inbound *in, const char *object);
int inbox_undo_block(struct inbound *in, const char *object);
int inbox_fetch_created(struct inbound *in, int *done);
int inbox_fetch_boosted(struct inbound *in, int *done);
int inbox_self_delete(json_t *doc);

/* ---- outbox.c: member actions turned into activities -------------------- */

/* Turns pending outbox items into activities and delivery jobs, each
 * item in one transaction with outbox_done().  Stores how many were
 * handled. */
int fed_outbox_run(struct fed *f, int *handled);
/* Queues one activity to each remote recipient's inbox (one job per
 * shared inbox), signed by signer (a member's username, or "" for the
 * instance actor). */
int fed_enqueue(struct fed *f, json_t *activity, const char *signer,
		const int64_t *recipients, int n);

/* ---- deliver.c: the delivery worker ------------------------------------- */

struct deliverer;
struct deliverer *deliverer_new(struct fed *f);
void deliverer_free(struct deliverer *d);
/* Starts due jobs (within the concurrency limits) and collects finished
 * transfers; never blocks.  Call often. */
int deliverer_step(struct deliverer *d);
/* Makes the next step look for due jobs at once (new jobs queued). */
void deliverer_kick(struct deliverer *d);
/* The fds to wait on and how long (ms) until the next step is useful. */
int deliverer_fdset(struct deliverer *d, fd_set *r, fd_set *w, fd_set *e, int *maxfd,
		    long *timeout_ms);
/* Seconds to wait after attempt n (1-based), or -1 when it is time to
 * give up (about two days of tries in all). */
long delivery_backoff(int attempts);

/* ---- http.c: the HTTP server --------------------------------------------- */

struct http_server;
/* Listens on cfg->http_listen, with TLS when tls_cert/tls_key are set, and
 * serves from threads of its own (one per connection) until stopped.
 * Each thread opens DIR/camp.db for itself; f gives the configuration
 * and public URL, which (with dir) must outlive the server.  Call it with every
 * library the threads share already initialized (federation_main does). */
int http_server_start(struct fed *f, const char *dir, struct http_server **out);
/* Stops listening and waits for every connection thread to end. */
void http_server_stop(struct http_server *s);

/* ---- routes.c: what each URL answers ------------------------------------- */

/* A request as a route sees it, and its answer. */
struct http_request {
	const char *method;
	const char *path;  /* without the query */
	const char *query; /* after '?', or "" */
	const char *target;
	struct http_msg msg;
	void *conn;
};
struct http_reply {
	int status;
	const char *content_type;
	struct buf body;
	char *location;
	int vary_accept;
	/* Pages (web_reply) set these too; left zero, none is sent. */
	char etag[32]; /* quoted; "" for none */
	int64_t last_modified;
	const char *cache_control;
	const char *csp; /* HTML without it gets a policy that allows nothing */
};
/* Routes one request; fills reply. */
void routes_dispatch(struct fed *f, const struct http_request *req,
		     struct http_reply *reply);
/* The value of a query parameter, decoded (caller frees), or NULL. */
char *http_query_param(const char *query, const char *name);

/* ---- web-*.c: the camp's public face for browsers ------------------------
 * HTML pages (About, profiles, posts, tags) and Atom feeds, answered on
 * the same URLs as the ActivityPub documents when the client asks for
 * HTML.  What they show comes from store/public.c alone. */

/* A rendered page.  body is owned (web_page_free). */
struct web_page {
	int status; /* 200, or 404 with a page that says nothing more */
	const char *content_type;
	struct buf body;
	int64_t last_modified; /* the newest thing shown; 0 when unknown */
};
void web_page_free(struct web_page *pg);

/* Each renders into a zeroed *out: 0 with out->status 200 or 404, or a
 * negative CAMP_E* (the database failed) with err_last().  Names are as
 * in the URL: a member's username, a tag without '#' (percent-encoded or
 * not, any case); max_id pages back (0: newest). */
int web_about(struct fed *f, struct web_page *out);
int web_profile(struct fed *f, const char *username, int64_t max_id,
		struct web_page *out);
/* A post's page; with username, the post must be that member's. */
int web_post(struct fed *f, int64_t post_id, const char *username, struct web_page *out);
int web_tag(struct fed *f, const char *tag, int64_t max_id, struct web_page *out);
/* Atom 1.0 feeds: a member's public posts, and the camp's. */
int web_feed_member(struct fed *f, const char *username, struct web_page *out);
int web_feed_camp(struct fed *f, struct web_page *out);

/* Answers a rendered page: status, body (taken from pg), an ETag from
 * the body, Last-Modified, Cache-Control, the pages' CSP, and 304 with
 * no body when the request's If-None-Match (or, without one,
 * If-Modified-Since) says the client has it. */
void web_reply(const struct http_request *req, struct web_page *pg,
	       struct http_reply *rep);
/* The Content-Security-Policy of every page: nothing but the pages' own
 * inline stylesheet, by hash.  Static storage. */
const char *web_csp(void);

/* For the web-*.c files.  The one escaping function: appends s as HTML
 * (or XML) text, safe in element content and in quoted attributes, with
 * controls, bidi overrides and invalid bytes (and with TEXT_NAME,
 * invisible marks) as U+FFFD. */
void web_textn(struct buf *out, const char *s, size_t len, int flags);
void web_text(struct buf *out, const char *s, int flags);
/* Escaped text in which a blank line closes a paragraph and opens the
 * next ("</p><p>") and a newline is a <br/>; XHTML-safe.  With
 * web_paragraphs, the whole in a <p> (trailing blank lines dropped). */
void web_lines(struct buf *out, const char *s, size_t n);
void web_paragraphs(struct buf *out, const char *s);
/* A link to path on this camp; a link to a URL from anywhere else, which
 * is only a link if ap_url_ok() (then rel="nofollow ugc noopener"),
 * else plain text. */
void web_local_link(struct fed *f, struct buf *out, const char *path, const char *text,
		    int flags);
void web_remote_link(struct buf *out, const char *url, const char *text, int flags);
/* "Display Name @acct", linked to the account's page. */
void web_author(struct fed *f, struct buf *out, const struct account_brief *a);
/* <time> in UTC; a date in words ("30 November 2026"). */
void web_time(struct buf *out, int64_t t);
void web_date(struct buf *out, int64_t t);
/* What a page's head says about it (plain text and absolute URLs, any
 * of which may be NULL). */
struct web_head {
	const char *title, *description;
	const char *canonical, *og_type;
	const char *feed, *feed_title; /* its Atom feed */
	const char *activity;	       /* the same thing as ActivityPub JSON */
};
/* The page up to its <main>, and from </main> to the end. */
void web_begin(struct fed *f, struct buf *b, const struct web_head *h);
void web_end(struct fed *f, struct buf *b);
/* Turns pg into the 404 page. */
void web_not_found(struct fed *f, struct web_page *pg);

/* web-post.c: a post as an <article>.  WEB_POST_FOCUS: the post of its
 * own page, whole (else cut to a length fit for a list, with a link on). */
enum { WEB_POST_FOCUS = 1 };
#define WEB_PAGE_MAX 30000    /* bytes a page may have */
#define WEB_LIST_BUDGET 24000 /* bytes of posts a list page stops adding at */
void web_post_article(struct fed *f, struct buf *b, const struct post *p, int flags);
/* A post's text as paragraphs with its links (XHTML-safe), cut after
 * max bytes of text (0: whole) with an ellipsis. */
void web_post_body(struct fed *f, struct buf *b, const struct post *p, size_t max);
/* A title for a post: its content warning if it has one (never what it
 * warns about), else the start of its text, on one line.  Caller frees. */
char *web_post_excerpt(const struct post *p);
/* A post's page URL path on this camp ("/@alice/12"); caller frees. */
char *web_post_path(const struct post *p);
/* Appends a list's posts while b is shorter than budget bytes (a page
 * uses WEB_LIST_BUDGET); returns the max_id its next page starts from
 * (0: the end).  *newest grows to the newest time shown. */
int64_t web_post_list(struct fed *f, struct buf *b, const struct post_list *l,
		      size_t budget, int64_t *newest);
/* "Older posts", linking to path?max_id=max_id (nothing when 0). */
void web_older_link(struct fed *f, struct buf *b, const char *path, int64_t max_id);

#endif
