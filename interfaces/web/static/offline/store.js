// What this browser keeps for working offline, one IndexedDB database per person:
// their outbox and the pages they opened, each sealed with AES-GCM under a key made here
// and never extractable (WebCrypto), so no script can read it out, only use it on this
// origin. Another person on the same PC has another database and another key. A small
// shared database says who was signed in here last, for the service worker.

const DEVICE = "jejak-device";
const PREFIX = "jejak-user-";
const MAX_PAGES = 30;

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = transaction.onabort = () => reject(transaction.error);
  });
}

function database(name, upgrade) {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => upgrade(request.result);
  return done(request);
}

// Who is signed in here ------------------------------------------------------------------

const device = () => database(DEVICE, (db) => db.createObjectStore("state"));

export async function signedIn() {
  const db = await device();
  try {
    return (await done(db.transaction("state").objectStore("state").get("current"))) || null;
  } finally { db.close(); }
}

/** `user` is signed in here now: when someone else was before, their kept pages go (their
 *  outbox stays, sealed, for when they come back). */
export async function claimDevice(user, lang) {
  const before = await signedIn();
  const db = await device();
  try {
    const transaction = db.transaction("state", "readwrite");
    transaction.objectStore("state").put({ user, lang }, "current");
    await finished(transaction);
  } finally { db.close(); }
  if (before && before.user !== user) {
    const theirs = await Store.open(before.user);
    try { await theirs.dropPages(); } finally { theirs.close(); }
  }
}

/** Nobody is signed in here any more. `unheard` names a person whose logout could not
 *  reach the server (no line): their logout is finished when the line is back. */
export async function releaseDevice(unheard = null) {
  const db = await device();
  try {
    const transaction = db.transaction("state", "readwrite");
    const states = transaction.objectStore("state");
    states.delete("current");
    if (unheard) states.put(unheard, "logout");
    else states.delete("logout");
    await finished(transaction);
  } finally { db.close(); }
}

export async function loggingOut() {
  const db = await device();
  try {
    return (await done(db.transaction("state").objectStore("state").get("logout"))) || null;
  } finally { db.close(); }
}

/** Every person with a database here (for dropping pages of an older version of Jejak). */
export async function people() {
  if (!indexedDB.databases) {
    const current = await signedIn();
    return current ? [current.user] : [];
  }
  return (await indexedDB.databases())
    .map((found) => found.name || "").filter((name) => name.startsWith(PREFIX))
    .map((name) => name.slice(PREFIX.length));
}

// One person's store ---------------------------------------------------------------------

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Store {
  constructor(db, key) { this.db = db; this.key = key; }

  static async open(user) {
    const db = await database(PREFIX + user, (created) => {
      created.createObjectStore("meta");
      created.createObjectStore("outbox", { keyPath: "id" }).createIndex("seq", "seq");
      created.createObjectStore("pages", { keyPath: "path" });
    });
    return new Store(db, await ownKey(db));
  }

  async seal(value, bound) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(bound) },
      this.key, encoder.encode(JSON.stringify(value)));
    return { iv, data };
  }

  async unseal(sealed, bound) {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(bound) },
      this.key, sealed.data);
    return JSON.parse(decoder.decode(plain));
  }

  // The outbox: entries in the order they were made; only id, order and state in clear.

  /** Adds an entry unless one with its id (its form key) is there: a form sent twice waits
   *  once. Answers whether it was added. */
  async add(id, payload) {
    const sealed = await this.seal(payload, id);
    const transaction = this.db.transaction(["outbox", "meta"], "readwrite");
    const outbox = transaction.objectStore("outbox");
    const meta = transaction.objectStore("meta");
    let added = false;
    if (!(await done(outbox.get(id)))) {
      const seq = ((await done(meta.get("seq"))) || 0) + 1;
      meta.put(seq, "seq");
      outbox.add({ id, seq, state: "waiting", sealed });
      added = true;
    }
    await finished(transaction);
    return added;
  }

  async entries() {
    const rows = await done(this.db.transaction("outbox").objectStore("outbox").index("seq").getAll());
    return Promise.all(rows.map(async (row) => {
      try {
        return { ...(await this.unseal(row.sealed, row.id)), id: row.id, seq: row.seq, state: row.state };
      } catch {
        return { id: row.id, seq: row.seq, state: "review", unreadable: true, chain: null };
      }
    }));
  }

  /** Writes an entry back (a new state, a review, fixed fields), in its place in the order. */
  async put(entry) {
    const { id, seq, state, ...payload } = entry;
    const sealed = await this.seal(payload, id);
    const transaction = this.db.transaction("outbox", "readwrite");
    transaction.objectStore("outbox").put({ id, seq, state, sealed });
    await finished(transaction);
  }

  async remove(id) {
    const transaction = this.db.transaction("outbox", "readwrite");
    transaction.objectStore("outbox").delete(id);
    await finished(transaction);
  }

  async counts() {
    const rows = await done(this.db.transaction("outbox").objectStore("outbox").getAll());
    return {
      waiting: rows.filter((row) => row.state === "waiting").length,
      review: rows.filter((row) => row.state === "review").length,
    };
  }

  // Pages this person opened, kept for this version of Jejak only.

  async keepPage(path, page, build) {
    const sealed = await this.seal(page, path);
    const transaction = this.db.transaction("pages", "readwrite");
    const pages = transaction.objectStore("pages");
    pages.put({ path, build, at: Date.now(), sealed });
    const all = await done(pages.getAll());
    all.sort((a, b) => b.at - a.at).slice(MAX_PAGES).forEach((old) => pages.delete(old.path));
    await finished(transaction);
  }

  async page(path, build) {
    const row = await done(this.db.transaction("pages").objectStore("pages").get(path));
    if (!row || row.build !== build) return null;
    try { return { ...(await this.unseal(row.sealed, path)), at: row.at }; } catch { return null; }
  }

  async pages() {
    const rows = await done(this.db.transaction("pages").objectStore("pages").getAll());
    const pages = await Promise.all(rows.map(async (row) => {
      try { return { path: row.path, at: row.at, title: (await this.unseal(row.sealed, row.path)).title }; }
      catch { return null; }
    }));
    return pages.filter(Boolean).sort((a, b) => b.at - a.at);
  }

  /** Drops kept pages: all of them, or those kept by a version of Jejak other than `build`. */
  async dropPages(build = null) {
    const transaction = this.db.transaction("pages", "readwrite");
    const pages = transaction.objectStore("pages");
    for (const row of await done(pages.getAll())) {
      if (build === null || row.build !== build) pages.delete(row.path);
    }
    await finished(transaction);
  }

  close() { this.db.close(); }
}

/** This person's key: made on first use; when two tabs make one at once, the first stored
 *  wins and both use it (a second key would leave entries no one can open). */
async function ownKey(db) {
  const stored = await done(db.transaction("meta").objectStore("meta").get("key"));
  if (stored) return stored;
  const fresh = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false,
    ["encrypt", "decrypt"]);
  const transaction = db.transaction("meta", "readwrite");
  const meta = transaction.objectStore("meta");
  let key = await done(meta.get("key"));
  if (!key) { meta.put(fresh, "key"); key = fresh; }
  await finished(transaction);
  return key;
}
