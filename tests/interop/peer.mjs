#!/usr/bin/env node
// camp interop peer: a single-user ActivityPub server built on Fedify 1.5.x.
//
// It serves one actor (a Person with an RSA key) plus WebFinger, verifies the
// HTTP Signatures of everything that reaches its inbox (Fedify's default), and
// records what it received.  A small JSON "control" API under /_peer/ lets a
// test drive it: look up a remote actor, follow / unfollow, post a note.
//
// Plain ESM JavaScript, Node.js >= 20, no build step.  camp's tests start it
// through tests/interop/peerlib.py.
//
//   node peer.mjs --name bob --port 8444 [--tls-cert c.pem --tls-key k.pem]
//                 [--events events.jsonl] [--key-file bob.jwk.json]

import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID, webcrypto } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import process from "node:process";
import { parseArgs } from "node:util";

import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Endpoints,
  Follow,
  Like,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Undo,
  Update,
  createFederation,
  isActor,
  MemoryKvStore,
} from "@fedify/fedify";
import { configure, getConsoleSink } from "@logtape/logtape";
// Fedify 1.5 checks `instanceof Temporal.Instant` against this polyfill
// (Node 20 has no global Temporal); use the very same package.
import { Temporal } from "@js-temporal/polyfill";

// ---------------------------------------------------------------------------
// Configuration (command line, with environment fallbacks)
// ---------------------------------------------------------------------------

const { values: opt } = parseArgs({
  options: {
    name: { type: "string", default: process.env.PEER_NAME ?? "peer" },
    host: { type: "string", default: process.env.PEER_HOST ?? "127.0.0.1" },
    port: { type: "string", default: process.env.PEER_PORT ?? "0" },
    "tls-cert": { type: "string", default: process.env.PEER_TLS_CERT },
    "tls-key": { type: "string", default: process.env.PEER_TLS_KEY },
    origin: { type: "string", default: process.env.PEER_ORIGIN },
    events: { type: "string", default: process.env.PEER_EVENTS },
    "key-file": { type: "string", default: process.env.PEER_KEY_FILE },
    "no-auto-accept": { type: "boolean", default: !!process.env.PEER_NO_AUTO_ACCEPT },
    "log-level": { type: "string", default: process.env.PEER_LOG_LEVEL ?? "warning" },
    "ready-file": { type: "string", default: process.env.PEER_READY_FILE },
    // Also publish an Ed25519 key: outgoing activities then carry an Object
    // Integrity Proof ("proof", eddsa-jcs-2022) besides the LD signature.
    ed25519: { type: "boolean", default: !!process.env.PEER_ED25519 },
    // By default key/actor fetches made while verifying a shared-inbox POST
    // are signed with our key (personal-inbox ones always are, by Fedify).
    "unsigned-shared-inbox-fetch": { type: "boolean", default: !!process.env.PEER_UNSIGNED_FETCH },
  },
  strict: true,
});

const USERNAME = opt.name;
const AUTO_ACCEPT = !opt["no-auto-accept"];
const useTls = opt["tls-cert"] != null && opt["tls-key"] != null;

await configure({
  sinks: { console: getConsoleSink() },
  contextLocalStorage: new AsyncLocalStorage(),
  loggers: [
    { category: "fedify", sinks: ["console"], lowestLevel: opt["log-level"] },
    { category: ["logtape", "meta"], sinks: ["console"], lowestLevel: "warning" },
  ],
});

// ---------------------------------------------------------------------------
// Key pair: RSASSA-PKCS1-v1_5 / SHA-256 (what HTTP Signatures "rsa-sha256"
// needs).  2048 bits (Fedify's own generateCryptoKeyPair() makes 4096-bit
// keys, which is slower to create).  Optionally persisted as JWK.
// ---------------------------------------------------------------------------

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

async function loadOrMakeKeyPair(file) {
  if (file != null && existsSync(file)) {
    const { privateKey, publicKey } = JSON.parse(readFileSync(file, "utf8"));
    return {
      privateKey: await webcrypto.subtle.importKey("jwk", privateKey, RSA, true, ["sign"]),
      publicKey: await webcrypto.subtle.importKey("jwk", publicKey, RSA, true, ["verify"]),
    };
  }
  const pair = await webcrypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
  if (file != null) {
    writeFileSync(file, JSON.stringify({
      privateKey: await webcrypto.subtle.exportKey("jwk", pair.privateKey),
      publicKey: await webcrypto.subtle.exportKey("jwk", pair.publicKey),
    }), { mode: 0o600 });
  }
  return pair;
}

const keyPair = await loadOrMakeKeyPair(opt["key-file"]);
const keyPairs = [keyPair];
if (opt.ed25519) {
  keyPairs.push(await webcrypto.subtle.generateKey("Ed25519", true, ["sign", "verify"]));
}

// ---------------------------------------------------------------------------
// In-memory state
// ---------------------------------------------------------------------------

const events = [];            // everything recorded, in order
let eventSeq = 0;
const followers = new Map();  // actor id -> { id, inbox, sharedInbox }
const following = new Map();  // actor id -> { follow: Follow, state }
const notes = new Map();      // local note uuid -> Note
const pendingFollows = new Map(); // Follow id -> { follow, follower } (with --no-auto-accept)
const waiters = new Set();    // pending /_peer/wait calls
const rawBody = new AsyncLocalStorage(); // raw JSON of the inbox POST being handled

function record(entry) {
  const e = { seq: ++eventSeq, at: new Date().toISOString(), ...entry };
  events.push(e);
  if (opt.events != null) appendFileSync(opt.events, JSON.stringify(e) + "\n");
  for (const w of waiters) w();
  return e;
}

// ---------------------------------------------------------------------------
// Federation
// ---------------------------------------------------------------------------

// The server is started first (so that --port 0 works); the origin, and so
// the federation, is only known once it listens.
const server = useTls
  ? https.createServer({
    cert: readFileSync(opt["tls-cert"]),
    key: readFileSync(opt["tls-key"]),
  }, (req, res) => handle(req, res))
  : http.createServer((req, res) => handle(req, res));
await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(Number(opt.port), opt.host, resolve);
});
const actualPort = server.address().port;
const ORIGIN = opt.origin ??
  `${useTls ? "https" : "http"}://${opt.host.includes(":") ? `[${opt.host}]` : opt.host}:${actualPort}`;

const federation = createFederation({
  kv: new MemoryKvStore(),
  // Needed for 127.0.0.1 / localhost: without it every outgoing fetch
  // (documents, keys, WebFinger) to a private address is refused.
  allowPrivateAddress: true,
  // Canonical origin for the ids Fedify mints (actor, inbox, key ids...),
  // independent of the Host header of incoming requests.
  origin: ORIGIN,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== USERNAME) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `Fedify peer ${identifier}`,
      summary: "Interop test peer for camp",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      following: ctx.getFollowingUri(identifier),
      manuallyApprovesFollowers: !AUTO_ACCEPT,
      publicKey: keys[0]?.cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  // WebFinger acct:NAME@host -> actor identifier.
  .mapHandle((_ctx, username) => username === USERNAME ? USERNAME : null)
  .setKeyPairsDispatcher(async (_ctx, identifier) =>
    identifier === USERNAME ? keyPairs : []
  );

federation.setFollowersDispatcher(
  "/users/{identifier}/followers",
  (_ctx, identifier) => {
    if (identifier !== USERNAME) return null;
    return {
      items: [...followers.values()].map((f) => ({
        id: new URL(f.id),
        inboxId: new URL(f.inbox),
        endpoints: f.sharedInbox == null ? null : { sharedInbox: new URL(f.sharedInbox) },
      })),
    };
  },
);

federation.setFollowingDispatcher(
  "/users/{identifier}/following",
  (_ctx, identifier) => {
    if (identifier !== USERNAME) return null;
    const ids = [...following.entries()]
      .filter(([, f]) => f.state === "accepted")
      .map(([id]) => new URL(id));
    return { items: ids };
  },
);

federation.setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, identifier) =>
  identifier === USERNAME ? { items: [] } : null
);

// Our notes are dereferenceable (a server may fetch inReplyTo / object ids).
federation.setObjectDispatcher(
  Note,
  "/users/{identifier}/notes/{id}",
  (_ctx, { identifier, id }) => identifier === USERNAME ? notes.get(id) ?? null : null,
);

// ----- inbox ---------------------------------------------------------------

async function recordActivity(ctx, activity, extra = {}) {
  let parsed = null;
  try {
    parsed = await activity.toJsonLd({ contextLoader: ctx.contextLoader });
  } catch (e) {
    parsed = { error: String(e) };
  }
  let raw = null;
  const body = rawBody.getStore();
  if (body != null) {
    try { raw = JSON.parse(body); } catch { raw = body; }
  }
  return record({
    kind: "inbox",
    recipient: ctx.recipient, // null = shared inbox
    type: activity.constructor.name,
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    object: activity.objectId?.href ?? null,
    ...extra,
    raw,
    parsed,
  });
}

const inboxListeners = federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox");
if (!opt["unsigned-shared-inbox-fetch"]) {
  inboxListeners.setSharedKeyDispatcher(() => ({ identifier: USERNAME }));
}
inboxListeners
  .on(Follow, async (ctx, follow) => {
    const me = ctx.getActorUri(USERNAME);
    if (follow.id == null || follow.actorId == null || follow.objectId?.href !== me.href) {
      await recordActivity(ctx, follow, { note: "follow not addressed to us" });
      return;
    }
    const follower = await follow.getActor(ctx);
    if (follower == null || follower.inboxId == null) {
      await recordActivity(ctx, follow, { note: "could not resolve follower" });
      return;
    }
    await recordActivity(ctx, follow);
    if (AUTO_ACCEPT) await answerFollow(ctx, follow, follower, true);
    else pendingFollows.set(follow.id.href, { follow, follower });
  })
  .on(Accept, async (ctx, accept) => {
    const f = findFollowing(accept.objectId?.href, accept.actorId?.href);
    if (f != null) f.state = "accepted";
    await recordActivity(ctx, accept, { matchedFollow: f?.follow.id?.href ?? null });
  })
  .on(Reject, async (ctx, reject) => {
    const f = findFollowing(reject.objectId?.href, reject.actorId?.href);
    if (f != null) f.state = "rejected";
    await recordActivity(ctx, reject, { matchedFollow: f?.follow.id?.href ?? null });
  })
  .on(Undo, async (ctx, undo) => {
    const inner = await undo.getObject(ctx);
    if (inner instanceof Follow && undo.actorId != null &&
        inner.actorId?.href === undo.actorId.href) {
      followers.delete(undo.actorId.href);
    }
    await recordActivity(ctx, undo, { innerType: inner?.constructor.name ?? null });
  })
  .on(Create, async (ctx, create) => {
    const obj = await create.getObject(ctx);
    await recordActivity(ctx, create, {
      objectType: obj?.constructor.name ?? null,
      content: obj?.content?.toString() ?? null,
      inReplyTo: obj?.replyTargetId?.href ?? null,
    });
  })
  .on(Update, (ctx, a) => recordActivity(ctx, a))
  .on(Delete, (ctx, a) => recordActivity(ctx, a))
  .on(Like, (ctx, a) => recordActivity(ctx, a))
  .on(Announce, (ctx, a) => recordActivity(ctx, a))
  .on(Activity, (ctx, a) => recordActivity(ctx, a)) // anything else
  .onError((_ctx, error) => {
    record({ kind: "inbox-listener-error", error: String(error?.stack ?? error) });
  });

// Accept or Reject a received Follow.  Note: `object: follow` embeds the Follow
// as received; after getActor() Fedify also embeds the follower's actor
// document inside it (seen on the wire; camp must only read object.id).
async function answerFollow(ctx, follow, follower, accept) {
  const me = ctx.getActorUri(USERNAME);
  if (accept) {
    followers.set(follower.id.href, {
      id: follower.id.href,
      inbox: follower.inboxId.href,
      sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
    });
  }
  const Cls = accept ? Accept : Reject;
  const answer = new Cls({
    id: new URL(`#${accept ? "accepts" : "rejects"}/${randomUUID()}`, me),
    actor: me,
    object: follow,
    to: follower.id,
  });
  await ctx.sendActivity({ identifier: USERNAME }, follower, answer);
  return answer;
}

function findFollowing(followId, actorId) {
  for (const f of following.values()) {
    if (followId != null && f.follow.id?.href === followId) return f;
  }
  return actorId == null ? null : following.get(actorId) ?? null;
}

// ---------------------------------------------------------------------------
// Control API (/_peer/...), used by the test harness.  JSON in, JSON out.
// ---------------------------------------------------------------------------

function json(status, body) {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

// target: "@user@host:port" (WebFinger, always https), "acct:user@host", or a
// URL.  signed: fetch with a signed GET (for servers that demand one).
async function resolveActor(ctx, target, signed) {
  const obj = await resolveActorOrObject(ctx, target, signed);
  if (!isActor(obj)) throw new Error(`${target} is a ${obj.constructor.name}, not an actor`);
  return obj;
}

async function controlApi(request, url) {
  const ctx = federation.createContext(request, undefined);
  const me = ctx.getActorUri(USERNAME);
  const body = request.method === "POST" ? await request.json().catch(() => ({})) : {};
  const route = url.pathname.replace(/^\/_peer\/?/, "");

  switch (`${request.method} ${route}`) {
    case "GET health":
      return json(200, {
        ok: true,
        actor: me.href,
        handle: `@${USERNAME}@${federation.origin?.handleHost ?? url.host}`,
        fedify: "1.5.x",
      });

    case "GET events": {
      const since = Number(url.searchParams.get("since") ?? 0);
      const type = url.searchParams.get("type");
      return json(200, events.filter((e) =>
        e.seq > since && (type == null || e.type === type)
      ));
    }

    case "POST events/clear":
      events.length = 0;
      return json(200, { ok: true });

    case "POST wait": {
      // { type?: "Create", kind?: "inbox", count?: 1, since?: 0, timeoutMs?: 10000 }
      const want = body.count ?? 1;
      const match = () => events.filter((e) =>
        e.seq > (body.since ?? 0) &&
        (body.type == null || e.type === body.type) &&
        (body.kind == null || e.kind === body.kind)
      );
      const deadline = Date.now() + (body.timeoutMs ?? 10000);
      while (match().length < want && Date.now() < deadline) {
        await new Promise((resolve) => {
          const w = () => { waiters.delete(w); resolve(); };
          waiters.add(w);
          setTimeout(w, Math.max(0, Math.min(250, deadline - Date.now())));
        });
      }
      const got = match();
      return json(got.length >= want ? 200 : 408, { ok: got.length >= want, events: got });
    }

    case "GET followers":
      return json(200, [...followers.values()]);

    case "GET following":
      return json(200, [...following.entries()].map(([id, f]) => ({
        id, state: f.state, follow: f.follow.id?.href,
      })));

    case "GET pending-follows":
      return json(200, [...pendingFollows.entries()].map(([id, p]) => ({
        follow: id, actor: p.follower.id?.href,
      })));

    case "POST accept":
    case "POST reject": {
      // { follow?: "<Follow id>" }  (default: the oldest pending one)
      const id = body.follow ?? pendingFollows.keys().next().value;
      const p = pendingFollows.get(id);
      if (p == null) return json(404, { ok: false, error: `no pending Follow ${id}` });
      pendingFollows.delete(id);
      const answer = await answerFollow(ctx, p.follow, p.follower, route === "accept");
      return json(200, { ok: true, sent: answer.id.href, follow: id });
    }

    case "POST send": {
      // { activity: {...ActivityStreams JSON...}, to: [targets] | "followers" }
      // Sends any hand-made activity (Like, Announce, Delete, Update, ...)
      // as our actor.  "@context", "id" and "actor" are filled in if absent.
      const raw = { ...body.activity };
      raw["@context"] ??= "https://www.w3.org/ns/activitystreams";
      raw.id ??= new URL(`#activities/${randomUUID()}`, me).href;
      raw.actor ??= me.href;
      const activity = await Activity.fromJsonLd(raw, {
        documentLoader: ctx.documentLoader,
        contextLoader: ctx.contextLoader,
      });
      if (body.to === "followers") {
        await ctx.sendActivity({ identifier: USERNAME }, "followers", activity, {
          preferSharedInbox: true,
        });
      } else {
        const recipients = [];
        for (const t of [].concat(body.to ?? [])) recipients.push(await resolveActor(ctx, t, body.signed));
        await ctx.sendActivity({ identifier: USERNAME }, recipients, activity);
      }
      return json(200, { ok: true, id: activity.id?.href, type: activity.constructor.name });
    }

    case "POST lookup": {
      // { target: "@alice@127.0.0.1:8443" | "https://...", signed?: bool }
      const obj = await resolveActorOrObject(ctx, body.target, body.signed);
      return json(200, {
        ok: true,
        type: obj.constructor.name,
        id: obj.id?.href,
        inbox: obj.inboxId?.href ?? null,
        sharedInbox: obj.endpoints?.sharedInbox?.href ?? null,
        publicKeyIds: obj.publicKeyIds?.map((u) => u.href) ?? [],
        object: await obj.toJsonLd({ contextLoader: ctx.contextLoader }),
      });
    }

    case "POST follow": {
      const actor = await resolveActor(ctx, body.target, body.signed);
      const follow = new Follow({
        id: new URL(`#follows/${randomUUID()}`, me),
        actor: me,
        object: actor.id,
        to: actor.id,
      });
      following.set(actor.id.href, { follow, state: "pending" });
      try {
        // No MessageQueue configured, so delivery happens right here and a
        // non-2xx answer from the inbox throws (no retries).
        await ctx.sendActivity({ identifier: USERNAME }, actor, follow);
      } catch (e) {
        following.delete(actor.id.href);
        throw e;
      }
      return json(200, { ok: true, follow: follow.id.href, object: actor.id.href, inbox: actor.inboxId?.href });
    }

    case "POST unfollow": {
      const actor = await resolveActor(ctx, body.target, body.signed);
      const f = following.get(actor.id.href);
      if (f == null) return json(404, { ok: false, error: "not following" });
      const undo = new Undo({
        id: new URL(`#undos/${randomUUID()}`, me),
        actor: me,
        object: f.follow,
        to: actor.id,
      });
      await ctx.sendActivity({ identifier: USERNAME }, actor, undo);
      following.delete(actor.id.href);
      return json(200, { ok: true, undo: undo.id.href });
    }

    case "POST note": {
      // { content: "text", mention?: [targets], inReplyTo?: url,
      //   visibility?: "public"|"unlisted"|"followers"|"direct",
      //   toFollowers?: bool (default true unless direct) }
      const visibility = body.visibility ?? "public";
      const mentioned = [];
      for (const t of body.mention ?? []) mentioned.push(await resolveActor(ctx, t, body.signed));
      const followersUri = ctx.getFollowersUri(USERNAME);
      const mentionIds = mentioned.map((a) => a.id);
      let to, cc;
      switch (visibility) {
        case "public": to = [PUBLIC_COLLECTION, ...mentionIds]; cc = [followersUri]; break;
        case "unlisted": to = [followersUri, ...mentionIds]; cc = [PUBLIC_COLLECTION]; break;
        case "followers": to = [followersUri, ...mentionIds]; cc = []; break;
        case "direct": to = mentionIds; cc = []; break;
        default: return json(400, { ok: false, error: `bad visibility ${visibility}` });
      }
      const id = randomUUID();
      const noteUri = ctx.getObjectUri(Note, { identifier: USERNAME, id });
      const mentionHtml = mentioned.map((a) => {
        return `<span class="h-card"><a href="${a.url?.href ?? a.id.href}" class="u-url mention">` +
          `@<span>${a.preferredUsername}</span></a></span> `;
      }).join("");
      const note = new Note({
        id: noteUri,
        attribution: me,
        content: `<p>${mentionHtml}${escapeHtml(body.content ?? "hello")}</p>`,
        published: Temporal.Now.instant(),
        replyTarget: body.inReplyTo ? new URL(body.inReplyTo) : null,
        tos: to,
        ccs: cc,
        tags: mentioned.map((a) => new Mention({
          href: a.id,
          name: `@${a.preferredUsername}@${a.id.host}`,
        })),
        url: noteUri,
      });
      notes.set(id, note);
      const create = new Create({
        id: new URL(`${noteUri.href}/activity`),
        actor: me,
        object: note,
        tos: to,
        ccs: cc,
        published: note.published,
      });
      // Recipients: followers (unless direct) + mentioned actors, de-duplicated.
      const recipients = new Map();
      if (visibility !== "direct" && body.toFollowers !== false) {
        for (const f of followers.values()) {
          recipients.set(f.id, {
            id: new URL(f.id),
            inboxId: new URL(f.inbox),
            endpoints: f.sharedInbox == null ? null : { sharedInbox: new URL(f.sharedInbox) },
          });
        }
      }
      for (const a of mentioned) recipients.set(a.id.href, a);
      if (recipients.size > 0) {
        await ctx.sendActivity({ identifier: USERNAME }, [...recipients.values()], create, {
          preferSharedInbox: body.preferSharedInbox ?? true,
        });
      }
      return json(200, {
        ok: true,
        note: noteUri.href,
        create: create.id.href,
        deliveredTo: [...recipients.keys()],
      });
    }

    default:
      return json(404, { ok: false, error: `no control route ${request.method} ${route}` });
  }
}

async function resolveActorOrObject(ctx, target, signed) {
  const documentLoader = signed
    ? await ctx.getDocumentLoader({ identifier: USERNAME })
    : undefined;
  const obj = await ctx.lookupObject(target, documentLoader ? { documentLoader } : {});
  if (obj == null) throw new Error(`lookup of ${target} found nothing`);
  return obj;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

// ---------------------------------------------------------------------------
// node:http(s) <-> fetch API glue (what @hono/node-server would do)
// ---------------------------------------------------------------------------

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function toRequest(req, body) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  // The URL Fedify sees.  Its pathname is what (request-target) is checked
  // against; its origin is used for our own ids unless `origin` was given.
  const url = new URL(req.url, `${useTls ? "https" : "http"}://${req.headers.host ?? new URL(ORIGIN).host}`);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, { method: req.method, headers, body: hasBody ? body : undefined });
}

async function sendResponse(res, response) {
  const headers = {};
  for (const [k, v] of response.headers) {
    headers[k] = headers[k] == null ? v : `${headers[k]}, ${v}`;
  }
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function handle(req, res) {
  try {
    const body = await readBody(req);
    const request = await toRequest(req, body);
    const url = new URL(request.url);
    let response;
    if (url.pathname.startsWith("/_peer/")) {
      try {
        response = await controlApi(request, url);
      } catch (e) {
        response = json(500, { ok: false, error: String(e?.message ?? e), stack: String(e?.stack ?? "") });
      }
    } else {
      const isInboxPost = req.method === "POST" && /(^|\/)inbox$/.test(url.pathname);
      response = await rawBody.run(isInboxPost ? body.toString("utf8") : null, () =>
        federation.fetch(request, {
          contextData: undefined,
          onNotFound: () => new Response("Not found", { status: 404 }),
          onNotAcceptable: () => new Response("Not acceptable", { status: 406, headers: { Vary: "Accept" } }),
        })
      );
      if (isInboxPost && response.status >= 400) {
        // Signature failures etc.: keep the evidence for the test.
        const text = await response.clone().text();
        record({
          kind: "inbox-rejected",
          status: response.status,
          reason: text,
          path: url.pathname,
          signature: req.headers["signature"] ?? null,
          date: req.headers["date"] ?? null,
          digest: req.headers["digest"] ?? null,
          body: body.toString("utf8").slice(0, 4000),
        });
      }
    }
    await sendResponse(res, response);
  } catch (e) {
    console.error("peer: request failed:", e);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
    res.end(String(e));
  }
}

const info = {
  ready: true,
  origin: ORIGIN,
  actor: `${ORIGIN}/users/${USERNAME}`,
  handle: `@${USERNAME}@${new URL(ORIGIN).host}`,
  port: actualPort,
  pid: process.pid,
};
console.log(JSON.stringify(info));
if (opt["ready-file"]) writeFileSync(opt["ready-file"], JSON.stringify(info) + "\n");

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
