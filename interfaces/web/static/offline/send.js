// Sending the outbox: in the order entries were made, one request at a time, through the
// very form endpoints a person uses (same CSRF check, same request models, same use cases),
// each entry with its own form key (the Idempotency-Key: an entry whose answer was lost is
// answered again, never recorded twice) and the version it was made against (If-Match: a
// record that moved on meanwhile is never written over). An entry is removed only once the
// server said it is recorded; one the server refuses waits in "perlu diperiksa" with the
// server's message, and the later entries of its case wait behind it.

// Refusals of the entry itself: to be looked at by the officer. Anything else (no line, the
// server busy or down, too many NIK checks this hour) is tried again later.
const REFUSALS = new Set([400, 403, 404, 409, 410, 412, 413, 415, 422]);

/** Sends what waits in `store` for `user`; answers {sent, pages, stopped}. Two tabs never
 *  send at once (a lock per person). */
export async function send(store, user) {
  if (!navigator.locks) return drain(store, user);
  return navigator.locks.request(`jejak-outbox-${user}`, { ifAvailable: true },
    (lock) => (lock ? drain(store, user) : { sent: 0, pages: new Set(), stopped: "busy" }));
}

async function drain(store, user) {
  const result = { sent: 0, pages: new Set(), stopped: null };
  const session = await currentSession();
  if (session.stopped) return { ...result, stopped: session.stopped };
  // The outbox is its owner's: under another person's session nothing of it is sent.
  if (session.user !== user) return { ...result, stopped: "other" };
  const held = new Set();
  for (const entry of await store.entries()) {
    if (entry.state !== "waiting") {
      if (entry.chain) held.add(entry.chain);
      continue;
    }
    if (entry.chain && held.has(entry.chain)) continue;
    const outcome = await post(entry, session.csrf);
    if (outcome.recorded) {
      await store.remove(entry.id);
      result.sent += 1;
      result.pages.add(entry.page);
    } else if (outcome.review) {
      await store.put({ ...entry, state: "review", review: outcome.review });
      if (entry.chain) held.add(entry.chain);
    } else {
      result.stopped = outcome.stopped;
      break;
    }
  }
  return result;
}

async function currentSession() {
  let response;
  try {
    response = await fetch("/offline/session", { cache: "no-store", credentials: "same-origin" });
  } catch {
    return { stopped: "offline" };
  }
  if (response.status === 401) return { stopped: "login" };
  if (!response.ok) return { stopped: "server" };
  return response.json();
}

async function post(entry, csrf) {
  const body = new URLSearchParams(entry.fields);
  body.set("csrf_token", csrf);
  body.set("form_key", entry.id);
  if (entry.version !== null && entry.version !== undefined) {
    body.set("expected_version", String(entry.version));
  }
  let response;
  try {
    // As htmx asks: a recorded entry is answered 204 with where the page would go next, and
    // a session that ended with the way to the login form.
    response = await fetch(entry.action, {
      method: "POST", body, credentials: "same-origin", redirect: "manual",
      headers: { "HX-Request": "true" },
    });
  } catch {
    return { stopped: "offline" };
  }
  if (response.status === 204) {
    const next = response.headers.get("HX-Redirect") || "";
    return next.startsWith("/login") ? { stopped: "login" } : { recorded: true };
  }
  if (REFUSALS.has(response.status)) {
    return { review: refusal(response.status, await response.text(), entry.action) };
  }
  return { stopped: "server" };
}

/** The server's own words about a refused entry, read from the page it answered with: the
 *  form's message and the message next to each field (in the officer's language). */
export function refusal(status, html, action) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const form = [...page.querySelectorAll("form")].find((f) => f.getAttribute("action") === action);
  const scope = form || page.querySelector("main") || page.body;
  const general = scope.querySelector(".alert.error");
  const fields = {};
  for (const message of scope.querySelectorAll(".field-error")) {
    const field = message.closest(".field");
    const named = field && field.querySelector("[name]");
    if (!named) continue;
    const label = field.querySelector("label, legend");
    fields[named.name] = {
      label: label ? label.textContent.replace(/\s+/g, " ").trim() : named.name,
      message: message.textContent.trim(),
    };
  }
  return { status, message: general ? general.textContent.trim() : "", fields };
}
