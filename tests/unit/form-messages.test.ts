// Form validation messages come out in the interface language: zod's generic issues through the error
// map, a schema's own message keys through the table, on the same parse the browser and server run.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formOptionalText, formSlug, formText, parseSubmission } from "~/web/form-schema";

const Schema = z.object({
  key: formSlug(),
  name: formText(10),
  owner: formOptionalText(5),
  minutes: z.number().min(0).max(600).optional(),
  email: z.email().optional(),
  kind: z.enum(["a", "b"]).optional(),
});

function errorsOf(fields: Record<string, string>, lang: "es" | "en") {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const submission = parseSubmission(form, Schema, lang);
  expect(submission.status).toBe("error");
  return submission.status === "error" ? submission.error : {};
}

describe("form messages", () => {
  it("are Spanish on a Spanish form", () => {
    const errors = errorsOf({ key: "Mal Clave", name: "", owner: "demasiado", minutes: "-1", email: "nope", kind: "c" }, "es");
    expect(errors).toEqual({
      key: ["Use minúsculas, cifras y guiones simples (p. ej. entrega-tarjeta)."],
      name: ["Este campo es obligatorio."],
      owner: ["Escriba como máximo 5 caracteres."],
      minutes: ["Debe ser 0 o más."],
      email: ["Escriba una dirección de correo válida (p. ej. ana@empresa.com)."],
      kind: ["Elija una de las opciones."],
    });
  });

  it("are English on an English form", () => {
    const errors = errorsOf({ key: "x", name: "far too long a name", minutes: "abc" }, "en");
    expect(errors).toEqual({
      key: ["Enter at least 2 characters."],
      name: ["Enter at most 10 characters."],
      minutes: ["Enter a number."],
    });
  });

  it("passes a valid form through with its typed output", () => {
    const form = new FormData();
    form.set("key", " card-delivery ");
    form.set("name", "Entrega");
    form.set("minutes", "15");
    const submission = parseSubmission(form, Schema, "es");
    expect(submission.status).toBe("success");
    expect(submission.status === "success" ? submission.value : null).toEqual({ key: "card-delivery", name: "Entrega", owner: "", minutes: 15 });
  });
});
