// Working offline, on every page (SPEC §11). Without this script (or without a service
// worker, IndexedDB or WebCrypto) the pages work as they always did, online only.
//
// - Registers the service worker (sw.js), which keeps pages and catches forms offline.
// - On a page of a signed-in person: shows their outbox (banner, "belum terkirim" where an
//   entry belongs, "perlu diperiksa"), keeps its forms' keys and versions right for what
//   waits, sends the outbox when the line is back or on "Kirim sekarang", asks before a
//   logout leaves entries waiting, and drops the kept pages on logout.

import { entryFrom, newFormKey, queueable } from "./forms.js";
import { Store, claimDevice, loggingOut, releaseDevice, signedIn } from "./store.js";
import { send } from "./send.js";
import * as ui from "./ui.js";

const user = document.body.dataset.jejakUser || null;
const copy = document.body.dataset.jejakCopy || null;
const state = {
  entries: [], copy, online: navigator.onLine, sent: 0, stopped: null, sending: false,
  kept: new URLSearchParams(location.search).get("offline") === "kept",
};
let store = null;

async function start() {
  if (!("serviceWorker" in navigator) || !window.indexedDB || !window.crypto?.subtle) return;
  navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" }).catch(() => {});
  // What htmx would ask the server (the NIK check as it is typed) needs the server: with
  // no line it is not asked, and the banner says so.
  const needsServer = () => { state.online = false; state.needsServer = true; ui.banner(state, actions); };
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (!navigator.onLine) { event.preventDefault(); needsServer(); }
  });
  document.body.addEventListener("htmx:sendError", needsServer);
  if (await finishLogout()) return;
  if (!user) {
    window.addEventListener("online", finishLogout);
    return anonymous();
  }
  store = await Store.open(user);
  if (copy) {
    document.querySelectorAll("p.alert.ok[role=status]").forEach((old) => old.remove());
  } else {
    await claimDevice(user, document.documentElement.lang);
  }
  document.addEventListener("submit", onSubmit, true);
  window.addEventListener("online", () => {
    Object.assign(state, { online: true, needsServer: false });
    sendNow();
  });
  window.addEventListener("offline", () => { state.online = false; redraw(); });
  state.entries = await store.entries();
  fixing();  // before the forms are prepared: the fixed entry keeps this page's version
  await redraw();
  if (navigator.onLine && state.entries.some((entry) => entry.state === "waiting")) await sendNow();
}

const actions = { send: () => sendNow(), discard: (entry) => discard(entry) };

async function redraw() {
  state.entries = await store.entries();
  ui.banner(state, actions);
  ui.here(state.entries);
  prepareForms();
}

/** A kept copy of a page carries the form keys it was rendered with: a key an entry took
 *  is replaced, so the next entry is a submission of its own. A form of a case with
 *  entries waiting is made against the version those entries will bring it to. */
function prepareForms() {
  const used = new Set(state.entries.map((entry) => entry.id));
  for (const form of document.querySelectorAll("form[method=post]")) {
    const target = queueable(new URL(form.action, location.href).pathname);
    if (!target || form.dataset.outboxEntry) continue;
    const key = form.querySelector("input[name=form_key]");
    if (key && used.has(key.value)) key.value = newFormKey();
    const version = form.querySelector("input[name=expected_version]");
    const chained = waitingOn(target.chain).filter((entry) => entry.state === "waiting");
    if (version && chained.length) {
      const next = Math.max(...chained.map((entry) => entry.version ?? -1)) + 1;
      if (next > Number(version.value)) version.value = String(next);
    }
  }
}

const waitingOn = (chain) => (chain ? state.entries.filter((entry) => entry.chain === chain) : []);
/** The entries of `entry`'s case made after it and still waiting: held behind it. */
const behindIn = (entry) => waitingOn(entry.chain)
  .filter((later) => later.seq > entry.seq && later.state === "waiting");

/** A form goes to the outbox when there is no line, and when entries of its case wait (it
 *  must not pass them); otherwise it is sent as always. */
async function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method !== "post") return;
  const path = new URL(form.action, location.href).pathname;
  if (path === "/logout") return logout(event, form);
  const target = queueable(path);
  if (!target) return;
  if (form.dataset.outboxEntry) return resend(event, form);
  const behind = waitingOn(target.chain).length > 0;
  if (navigator.onLine && !behind) return;
  event.preventDefault();
  const entry = entryFrom(path, [...new FormData(form, event.submitter).entries()]);
  if (!entry) return;
  await store.add(entry.id, entry.payload);
  if (navigator.onLine) await sendNow();
  if (target.page !== location.pathname) return location.assign(`${target.page}?offline=kept`);
  // Kept: the form is emptied for the next entry (prepareForms gives it a key of its own).
  form.reset();
  const details = form.closest("details");
  if (details) details.open = false;
  state.kept = true;
  await redraw();
  document.getElementById("outbox-here")?.scrollIntoView({ block: "center" });
}

async function sendNow() {
  if (state.sending) return;
  state.sending = true;
  ui.banner(state, actions);
  try {
    const result = await send(store, user);
    state.sent += result.sent;
    state.stopped = result.stopped;
    if (result.stopped === "offline") state.online = false;
  } finally {
    state.sending = false;
    await redraw();
  }
}

/** A refused entry opened for fixing (?outbox=<id>, a fresh page): its form, filled with
 *  what the entry held and the server's messages. */
function fixing() {
  const id = new URLSearchParams(location.search).get("outbox");
  const entry = id && state.entries.find((found) => found.id === id);
  if (!entry || entry.state === "waiting" || entry.unreadable) return;
  const form = [...document.querySelectorAll("form[method=post]")]
    .find((found) => new URL(found.action, location.href).pathname === entry.action);
  if (!form) return;
  form.dataset.outboxEntry = entry.id;
  const key = form.querySelector("input[name=form_key]");
  if (key) key.value = entry.id;
  ui.fill(form, entry);
}

/** The fixed entry goes back in its place, made against the version this page shows; the
 *  entries of its case behind it follow on from there. */
async function resend(event, form) {
  event.preventDefault();
  const entry = state.entries.find((found) => found.id === form.dataset.outboxEntry);
  if (!entry) return location.reload();
  const pairs = [...new FormData(form, event.submitter).entries()];
  const fixed = entryFrom(entry.action, pairs);
  await store.put({ ...entry, state: "waiting", review: null, fields: fixed.payload.fields,
    version: fixed.payload.version });
  let next = fixed.payload.version;
  for (const later of behindIn(entry)) {
    if (next !== null) await store.put({ ...later, version: (next += 1) });
  }
  await sendNow();
  location.replace(entry.page);
}

async function discard(entry) {
  if (!window.confirm(ui.word("discard_confirm"))) return;
  await store.remove(entry.id);
  for (const later of behindIn(entry)) {
    if (later.version) await store.put({ ...later, version: later.version - 1 });
  }
  await redraw();
}

/** Logging out with entries waiting asks first; logging out drops this person's pages. A
 *  logout the server did not hear (no line) is finished on the next page with a line, so
 *  the next person at this PC does not find the session still open. */
async function logout(event, form) {
  event.preventDefault();
  const counts = await store.counts();
  const waiting = counts.waiting + counts.review;
  if (waiting && !window.confirm(ui.word("logout_confirm", { count: waiting }))) return;
  await store.dropPages();
  await releaseDevice(navigator.onLine ? null : user);
  form.submit();
}

async function finishLogout() {
  const pending = await loggingOut();
  if (!pending || !navigator.onLine) return false;
  let session = null;
  try {
    const answer = await fetch("/offline/session", { cache: "no-store" });
    session = answer.ok ? await answer.json() : null;
  } catch {
    return false;  // still no line: on the next page, then
  }
  await releaseDevice();
  if (!session || session.user !== pending) return false;  // ended already, or another's
  const body = new URLSearchParams({ csrf_token: session.csrf });
  try {
    await fetch("/logout", { method: "POST", body, redirect: "manual" });
  } catch {
    await releaseDevice(pending);
    return false;
  }
  location.replace("/login?bye=1");
  return true;
}

/** Pages for nobody (login, the offline page): what this PC keeps, without showing whose. */
async function anonymous() {
  const current = await signedIn();
  if (!current) return;
  const theirs = await Store.open(current.user);
  try {
    const list = document.getElementById("offline-kept");
    if (list) {
      const pages = await theirs.pages();
      for (const page of pages) {
        const link = document.createElement("a");
        link.href = page.path;
        link.textContent = new DOMParser().parseFromString(page.title, "text/html").body.textContent;
        const item = document.createElement("li");
        item.append(link, " ", ui.when(new Date(page.at).toISOString()));
        list.append(item);
      }
      document.getElementById("offline-kept-none").hidden = pages.length > 0;
    }
    const counts = await theirs.counts();
    const form = document.querySelector("form[action='/login']");
    if (form && counts.waiting + counts.review) {
      form.before(Object.assign(document.createElement("p"),
        { className: "alert warn", textContent: ui.word("waiting_here") }));
    }
  } finally { theirs.close(); }
}

start();
