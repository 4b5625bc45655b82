// Jejak's service worker (served as /sw.js, stamped with the build it belongs to).
//
// - Files (styles, scripts, the offline page) are kept per build: a new Jejak is a new
//   worker, which drops the older files and every page kept by an older build.
// - Pages are asked of the server first; the recent cases and forms a person opens are kept,
//   sealed with their own key (store.js), and shown from there when the server is out of
//   reach. Any other page then says it needs the server.
// - A form of the outbox's kinds that cannot reach the server waits in the outbox instead,
//   and the browser is sent to its page, where the entry shows as "belum terkirim".

import { entryFrom, keepable, queueable } from "/offline/forms.js";
import { Store, claimDevice, people, releaseDevice, signedIn } from "/offline/store.js";

const BUILD = "__JEJAK_BUILD__";
const SHELL = ["__JEJAK_SHELL__"];
const FILES = `jejak-files-${BUILD}`;
// A form waits in the outbox when the server has not answered in this time (a line that
// is up to the village but not beyond). Sent later with the same key, it is recorded once.
const FORM_PATIENCE_MS = 20000;
const PAGE_PATIENCE_MS = 8000;
// Pages being kept right now: a logout waits for them, so that none is kept after it.
const keeping = new Set();
const KEPT_HEADERS = ["content-security-policy", "x-frame-options", "referrer-policy",
  "x-content-type-options", "content-language"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(FILES);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("jejak-") && name !== FILES) await caches.delete(name);
    }
    for (const user of await people()) {
      const store = await Store.open(user);
      await store.dropPages(BUILD);
      store.close();
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && request.method === "GET") {
    event.respondWith(openPage(event, url));
  } else if (request.mode === "navigate" && request.method === "POST") {
    event.respondWith(sendForm(request, url));
  } else if (request.method === "GET" && SHELL.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request, { cacheName: FILES, ignoreVary: true })
      .then((kept) => kept || fetch(request)));
  }
});

function within(promise, milliseconds) {
  return Promise.race([promise, new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error("no answer in time")), milliseconds);
  })]);
}

async function openPage(event, url) {
  const keep = keepable(url);
  const current = keep ? await signedIn() : null;
  const store = current ? await Store.open(current.user) : null;
  const copy = store ? await store.page(url.pathname, BUILD) : null;
  try {
    const network = fetch(event.request);
    const response = await (copy ? within(network, PAGE_PATIENCE_MS) : network);
    if (keep && response.ok && response.type === "basic") {
      const kept = keepPage(url.pathname, response.clone());
      keeping.add(kept);
      kept.catch(() => {}).finally(() => keeping.delete(kept));
      event.waitUntil(kept);
    }
    return response;
  } catch {
    if (copy) return pageFrom(copy);
    return offlinePage(current);
  } finally {
    if (store) store.close();
  }
}

/** Keeps a page for the person it was made for (its body names them), and notes that they
 *  are the one signed in here. */
async function keepPage(path, response) {
  const html = await response.text();
  const user = /<body[^>]*\sdata-jejak-user="([0-9a-f-]{36})"/.exec(html);
  if (!user) return;
  const lang = response.headers.get("content-language") || "id";
  await claimDevice(user[1], lang);
  const headers = {};
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value) headers[name] = value;
  }
  const title = (/<title>([^<]*)<\/title>/.exec(html) || ["", path])[1];
  const store = await Store.open(user[1]);
  try { await store.keepPage(path, { html, headers, title }, BUILD); } finally { store.close(); }
}

function pageFrom(copy) {
  // Marked as a copy, so the page says from when it is and does not offer what needs the server.
  const html = copy.html.replace("<body", `<body data-jejak-copy="${new Date(copy.at).toISOString()}"`);
  return new Response(html, {
    headers: { ...copy.headers, "content-type": "text/html; charset=utf-8" },
  });
}

async function offlinePage(current) {
  const lang = current && current.lang === "en" ? "en" : "id";
  const kept = await caches.match(`/offline?lang=${lang}`, { cacheName: FILES, ignoreVary: true });
  return kept || new Response("Jejak: the server is needed.", {
    status: 503, headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

async function sendForm(request, url) {
  if (url.pathname === "/logout") return logOut(request);
  if (!queueable(url.pathname)) {
    // Any other form (a login, an upload, a number shown in full) needs the server.
    return fetch(request).catch(async () => offlinePage(await signedIn()));
  }
  const form = await request.clone().formData().catch(() => null);
  try {
    return await within(fetch(request), FORM_PATIENCE_MS);
  } catch {
    const current = await signedIn();
    const entry = form && current ? entryFrom(url.pathname, [...form.entries()]) : null;
    if (!entry) return offlinePage(current);
    const store = await Store.open(current.user);
    try { await store.add(entry.id, entry.payload); } finally { store.close(); }
    return Response.redirect(`${entry.payload.page}?offline=kept#outbox-here`, 303);
  }
}

/** A logout the server answered (with its redirect to the login form) leaves nothing of the
 *  person's pages here, not even one that was being kept as they clicked. */
async function logOut(request) {
  await Promise.allSettled([...keeping]);
  let response;
  try {
    response = await fetch(request);
  } catch {
    return offlinePage(await signedIn());
  }
  if (response.type === "opaqueredirect") {
    const current = await signedIn();
    if (current) {
      const store = await Store.open(current.user);
      try { await store.dropPages(); } finally { store.close(); }
    }
    await releaseDevice();
  }
  return response;
}
