// @ts-check
// The respondent form's only script (loaded as a module instead of React: the page is plain HTML
// that works without it). It enhances what the server drew, never re-renders it: a required
// question left empty is flagged at once with SurveyJS's own text (the message the server would
// give, carried in data-required), and a page is posted with fetch and the next one swapped into
// <main>, without a full reload. Anything unexpected falls back to the plain form submit.

/** @param {Element} question */
function answered(question) {
  for (const input of question.querySelectorAll("input, textarea")) {
    if (!(input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement)) continue;
    if (input instanceof HTMLInputElement && (input.type === "radio" || input.type === "checkbox")) {
      if (input.checked) return true;
    } else if (input.value.trim() !== "") return true;
  }
  return false;
}

/** @param {HTMLElement} question @param {string} message */
function flag(question, message) {
  const error = question.querySelector(".q-error");
  if (error) error.textContent = message;
  question.toggleAttribute("data-invalid", message !== "");
  for (const input of question.querySelectorAll("input, textarea")) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

/** The required questions left empty, flagged, with the page's alert listing them. @param {HTMLFormElement} form */
function check(form) {
  /** @type {HTMLElement[]} */
  const failing = [];
  for (const question of form.querySelectorAll("[data-required]")) {
    if (!(question instanceof HTMLElement)) continue;
    const ok = answered(question);
    flag(question, ok ? "" : question.dataset.required ?? "");
    if (!ok) failing.push(question);
  }
  const alert = form.querySelector("#survey-alert");
  if (alert) {
    alert.replaceChildren();
    if (failing.length > 0) {
      const intro = document.createElement("p");
      intro.textContent = form.dataset.check ?? "";
      const list = document.createElement("ul");
      for (const question of failing) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${question.id}`;
        link.textContent = question.dataset.title ?? "";
        item.append(link, `: ${question.dataset.required ?? ""}`);
        list.append(item);
      }
      alert.append(intro, list);
    }
  }
  const first = failing[0]?.querySelector("input, textarea");
  if (first instanceof HTMLElement) first.focus();
  return failing.length === 0;
}

/** Where focus goes on a new page: the first question in error, else the page's heading. @param {Element} main */
function focusTarget(main) {
  const invalid = main.querySelector("[data-invalid] input, [data-invalid] textarea");
  if (invalid instanceof HTMLElement) return invalid;
  const heading = main.querySelector(".survey-page-title") ?? main.querySelector("h1");
  if (heading instanceof HTMLElement) {
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    return heading;
  }
  return null;
}

/** @param {HTMLFormElement} form @param {string} intent */
async function post(form, intent) {
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === "string") body.append(name, value);
  body.set("intent", intent);
  form.setAttribute("aria-busy", "true");
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  try {
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin", headers: { Accept: "text/html" } });
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = doc.querySelector("main");
    const current = document.querySelector("main");
    // A page drawn by SurveyJS (React) cannot be swapped in: load it as a document.
    if (!next || !current || !doc.querySelector("script[data-page-script]")) throw new Error("not a form page");
    current.replaceWith(document.adoptNode(next));
    document.title = doc.title;
    window.scrollTo(0, 0);
    focusTarget(next)?.focus();
  } catch {
    // The plain form does the same without this script.
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "intent";
    field.value = intent;
    form.append(field);
    form.submit();
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-survey-form")) return;
  event.preventDefault();
  if (form.getAttribute("aria-busy") === "true") return;
  const submitter = /** @type {SubmitEvent} */ (event).submitter;
  const intent = submitter instanceof HTMLButtonElement && submitter.value ? submitter.value : "next";
  if (intent === "next" && !check(form)) return;
  void post(form, intent);
});

// An answer given clears that question's flag at once.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const question = target.closest("[data-required][data-invalid]");
  if (question instanceof HTMLElement && answered(question)) flag(question, "");
});

document.documentElement.dataset.enhanced = "true";
