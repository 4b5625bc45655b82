// What the officer sees of the outbox: a banner at the top of every page (how many entries
// wait, "Kirim sekarang", the "perlu diperiksa" list) and, on the page an entry belongs to,
// the entries not sent yet. Words come from the page (partials/offline_ui.html).

const lang = document.documentElement.lang === "en" ? "en" : "id";
const clock = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID",
  { dateStyle: "medium", timeStyle: "short" });

export function word(key, params = {}) {
  const holder = document.getElementById("jejak-offline-words");
  const found = holder && holder.content.querySelector(`[data-word="${key}"]`);
  const text = found ? found.textContent.trim() : key;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
}

export const when = (iso) => clock.format(new Date(iso));

function element(tag, attributes = {}, ...children) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "onclick") made.addEventListener("click", value);
    else made.setAttribute(name, value);
  }
  made.append(...children.filter((child) => child !== null && child !== undefined));
  return made;
}

export function label(entry) {
  if (entry.unreadable) return word("unreadable");
  const text = word(`kind.${entry.kind}`);
  const name = entry.kind === "register" && new Map(entry.fields).get("full_name");
  return name ? `${text}: ${name}` : text;
}

function placed(id, where) {
  let found = document.getElementById(id);
  if (!found) {
    found = element("section", { id, class: id });
    where(found);
  }
  found.replaceChildren();
  return found;
}

function note(kind, text, ...more) {
  return element("p", { class: `alert ${kind}`, role: kind === "error" ? "alert" : "status" },
    text, ...more);
}

/** The banner, from `state`: {entries, copy, online, kept, stopped, sent, sending}. */
export function banner(state, actions) {
  const main = document.querySelector("main");
  if (!main) return;
  const bar = placed("jejak-outbox", (made) => main.prepend(made));
  bar.setAttribute("aria-live", "polite");
  const waiting = state.entries.filter((entry) => entry.state === "waiting");
  const review = state.entries.filter((entry) => entry.state !== "waiting");
  if (state.copy) bar.append(note("warn", word("copy", { time: when(state.copy) })));
  if (!state.online) bar.append(note("warn", word("no_line")));
  if (state.needsServer) bar.append(note("warn", word("needs_server")));
  if (state.kept && waiting.length) bar.append(note("ok", word("queued")));
  if (state.stopped === "login") {
    const next = location.pathname + location.search;
    bar.append(note("error", word("login_again"), " ",
      element("a", { href: `/login?next=${encodeURIComponent(next)}` }, word("login_link"))));
  }
  if (state.sent) {
    bar.append(note("ok", word("sent", { count: state.sent }), " ",
      element("button", { type: "button", class: "secondary", onclick: () => location.reload() },
        word("reload"))));
  }
  if (waiting.length || review.length) {
    const counts = element("p", { class: "offline-counts" });
    if (waiting.length) {
      counts.append(element("strong", {}, word("waiting", { count: waiting.length })), " ",
        element("button", { type: "button", onclick: actions.send,
          ...(state.sending ? { disabled: "" } : {}) },
        state.sending ? word("sending") : word("send_now")));
    }
    if (review.length) counts.append(" ", element("a", { href: "#outbox-review", class: "badge danger" },
      word("to_check", { count: review.length })));
    bar.append(counts);
  }
  if (review.length) bar.append(reviewList(review, actions));
}

function reviewList(review, actions) {
  const items = review.map((entry) => {
    const problems = entry.review ? Object.values(entry.review.fields || {})
      .map((field) => element("li", {}, `${field.label}: ${field.message}`)) : [];
    const message = entry.review && (entry.review.message ||
      (!problems.length ? word("refused", { status: entry.review.status }) : ""));
    return element("li", { id: `review-${entry.id}` },
      element("strong", {}, label(entry)), " ",
      entry.madeAt ? element("span", { class: "muted" }, word("made_at", { time: when(entry.madeAt) })) : null,
      message ? element("p", { class: "offline-message" }, message) : null,
      problems.length ? element("ul", {}, ...problems) : null,
      element("p", {},
        entry.unreadable ? null : element("a", { class: "button secondary",
          href: `${entry.page}?outbox=${encodeURIComponent(entry.id)}` }, word("fix")), " ",
        element("button", { type: "button", class: "secondary danger",
          onclick: () => actions.discard(entry) }, word("discard"))));
  });
  return element("section", { id: "outbox-review", class: "offline-review" },
    element("h2", {}, word("review_title")), element("ul", {}, ...items));
}

/** The entries that belong on this page, where they belong (before the case's history). */
export function here(entries) {
  const mine = entries.filter((entry) => entry.page === location.pathname);
  const existing = document.getElementById("outbox-here");
  if (!mine.length) {
    if (existing) existing.remove();
    return;
  }
  const anchor = document.getElementById("history");
  const section = placed("outbox-here", (made) => (anchor ? anchor.before(made)
    : document.getElementById("jejak-outbox").after(made)));
  const held = new Set();
  const items = mine.map((entry) => {
    let badge = word("not_sent");
    if (entry.state !== "waiting") {
      badge = word("needs_check");
      if (entry.chain) held.add(entry.chain);
    } else if (entry.chain && held.has(entry.chain)) {
      badge = word("held");
    }
    return element("li", { class: `pending ${entry.state}` },
      element("span", { class: "what" }, label(entry)), " ",
      entry.madeAt ? element("span", { class: "when" }, word("made_at", { time: when(entry.madeAt) })) : null,
      " ", element("span", { class: entry.state === "waiting" ? "badge warn" : "badge danger" }, badge));
  });
  section.append(element("h2", {}, word("here_title")), element("ol", { class: "history" }, ...items));
}

/** Fills a form of this page with a refused entry, its messages beside the fields. */
export function fill(form, entry) {
  const values = new Map();
  for (const [name, value] of entry.fields) values.set(name, [...(values.get(name) || []), value]);
  for (const control of form.elements) {
    if (!control.name || control.type === "hidden" || control.type === "submit") continue;
    const given = values.get(control.name) || [];
    if (control.type === "checkbox" || control.type === "radio") control.checked = given.includes(control.value);
    else control.value = given[0] || "";
  }
  form.querySelectorAll(".offline-field-error").forEach((old) => old.remove());
  for (const [name, field] of Object.entries((entry.review && entry.review.fields) || {})) {
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
    const holder = control && control.closest(".field");
    if (holder) holder.append(element("span", { class: "field-error offline-field-error", role: "alert" }, field.message));
  }
  const message = entry.review && entry.review.message;
  form.prepend(note("error", word("fix_hint"), message ? ` ${message}` : ""));
  const details = form.closest("details");
  if (details) details.open = true;
  form.scrollIntoView({ block: "start" });
}
