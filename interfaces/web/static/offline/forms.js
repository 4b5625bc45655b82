// Which forms may wait in the outbox (SPEC §11: counselling, documents, indications, welfare
// checks, incidents, village activities, registrations), where each belongs, and which pages
// are kept for working offline. Shared by the service worker and the pages.

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const VILLAGE = "\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{4}";
const JOURNEY_FORM = new RegExp(
  `^/journeys/(${UUID})/(counselling|documents|indications|welfare-checks|incidents)$`);
const ACTIVITY_FORM = new RegExp(`^/villages/(${VILLAGE})/activities$`);
const REGISTRATION_FORM = /^\/workers\/new$/;

// Pages kept (encrypted) for the person who opened them: cases, workers, the village pages
// and the registration form. Query parameters other than these make another page.
const KEPT = [
  new RegExp(`^/journeys/${UUID}$`),
  new RegExp(`^/workers/${UUID}$`),
  /^\/workers(\/new)?$/,
  /^\/villages$/,
  new RegExp(`^/villages/${VILLAGE}$`),
];
const HARMLESS_PARAMS = new Set(["saved", "offline"]);

// Fields never kept in an entry: the CSRF token is this session's and is fetched afresh
// when the entry is sent; the key and the version are kept beside the fields.
const MACHINERY = new Set(["csrf_token", "form_key", "expected_version"]);
const FORM_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** What a form posting to `path` is, for the outbox: its kind (which names its words),
 *  the page it belongs on, and the chain its versions follow (one record, in order). */
export function queueable(path) {
  let match = JOURNEY_FORM.exec(path);
  if (match) {
    const page = `/journeys/${match[1]}`;
    return { kind: match[2], page, chain: page };
  }
  match = ACTIVITY_FORM.exec(path);
  if (match) {
    const page = `/villages/${match[1]}`;
    return { kind: "activity", page, chain: page };
  }
  if (REGISTRATION_FORM.test(path)) return { kind: "register", page: "/workers/new", chain: null };
  return null;
}

export function keepable(url) {
  return KEPT.some((pattern) => pattern.test(url.pathname)) &&
    [...url.searchParams.keys()].every((name) => HARMLESS_PARAMS.has(name));
}

/** An outbox entry from a form's fields (name/value pairs as the browser sends them), or
 *  null when the form cannot wait (not one of the forms above, or no form key). */
export function entryFrom(path, pairs) {
  const target = queueable(path);
  const values = new Map(pairs);
  const id = values.get("form_key") || "";
  if (!target || !FORM_KEY.test(id)) return null;
  const version = values.get("expected_version") || "";
  return {
    id,
    payload: {
      ...target,
      action: path,
      fields: pairs.filter(([name, value]) => !MACHINERY.has(name) && typeof value === "string"),
      version: /^\d+$/.test(version) ? Number(version) : null,
      madeAt: new Date().toISOString(),
      review: null,
    },
  };
}

/** A fresh form key, as the server makes them (Idempotency-Key of one submission). */
export function newFormKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}
