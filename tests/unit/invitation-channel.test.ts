// Which channel reaches a customer, for each choice a deployment can make and each transport a
// workspace may have.
import { describe, expect, it } from "vitest";
import { reachFor } from "~/cem/invitation-channel";

const both = { email: true, sms: true };
const mailOnly = { email: true, sms: false };
const smsOnly = { email: false, sms: true };
const phoneOnly = { email: null, phone: "+34 600 111 222" };
const emailOnly = { email: "ana@cliente.test", phone: null };
const emailAndPhone = { email: "ana@cliente.test", phone: "+34 600 111 222" };

describe("reachFor", () => {
  it("e-mail with SMS: e-mail when it can, a text for a customer with only a phone", () => {
    expect(reachFor("email_sms", emailAndPhone, both)).toEqual({ channel: "email", skip: null });
    expect(reachFor("email_sms", phoneOnly, both)).toEqual({ channel: "sms", skip: null });
    // No mail server: a text to whoever has a phone.
    expect(reachFor("email_sms", emailAndPhone, smsOnly)).toEqual({ channel: "sms", skip: null });
    expect(reachFor("email_sms", phoneOnly, mailOnly)).toEqual({ channel: "email", skip: "no e-mail address; no SMS provider set up" });
    expect(reachFor("email_sms", { email: " ", phone: "" }, both)).toEqual({ channel: "email", skip: "no e-mail address; no phone number" });
  });

  it("e-mail only never texts, SMS only never e-mails", () => {
    expect(reachFor("email", phoneOnly, both)).toEqual({ channel: "email", skip: "no e-mail address" });
    expect(reachFor("email", emailAndPhone, smsOnly)).toEqual({ channel: "email", skip: "no mail server set up" });
    expect(reachFor("email", emailOnly, mailOnly)).toEqual({ channel: "email", skip: null });
    expect(reachFor("sms", emailOnly, both)).toEqual({ channel: "sms", skip: "no phone number" });
    expect(reachFor("sms", emailAndPhone, mailOnly)).toEqual({ channel: "sms", skip: "no SMS provider set up" });
    expect(reachFor("sms", emailAndPhone, both)).toEqual({ channel: "sms", skip: null });
  });
});
