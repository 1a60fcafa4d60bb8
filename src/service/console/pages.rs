//! The console's pages, rendered on the server (maud) in the reader's language from the same
//! Fluent files as the CLI. No inline script or style: the one script and the one stylesheet
//! are served by the binary (the CSP forbids anything else).

use base64::Engine as _;
use maud::{DOCTYPE, Markup, html};

use super::{In, Pending, Shown};
use crate::base::ids::RequestId;
use crate::base::message::{Lang, Msg};
use crate::i18n::Texts;
use crate::msg;
use crate::net::wire::{RequestView, Role, Status};
use crate::service::api::Docs;
use crate::service::store::Row;
use crate::signed::approval::{DenialPayload, Request};
use crate::signed::designation::DesignationPayload;

fn t(texts: &Texts, m: &Msg) -> String {
    texts.render(m)
}

/// Every page: the header (who, what they may open, the other language, logging out), the
/// title, the body, and the place where the script says what went wrong.
pub fn layout(texts: &Texts, me: Option<&In>, here: &str, title: &Msg, body: Markup) -> Markup {
    let other = match texts.lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    };
    let back = url_encode(here);
    html! {
        (DOCTYPE)
        html lang=(texts.lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (t(texts, title)) " — okuri" }
                link rel="stylesheet" href="/console/assets/console.css";
                script src="/console/assets/console.js" defer {}
            }
            body data-no-crypto=(t(texts, &msg!("console-no-webcrypto"))) {
                header {
                    span.brand { "okuri 送り" }
                    nav {
                        @if let Some(me) = me {
                            @if me.caller.has(Role::Custodian) {
                                a href="/console/queue" { (t(texts, &msg!("console-nav-queue"))) }
                                a href="/console/decisions" { (t(texts, &msg!("console-nav-decisions"))) }
                            }
                            @if me.caller.has(Role::Staff) {
                                a href="/console/mine" { (t(texts, &msg!("console-nav-mine"))) }
                            }
                        } @else {
                            a href="/console/login" { (t(texts, &msg!("console-login-title"))) }
                        }
                        a href="/console/key" { (t(texts, &msg!("console-nav-key"))) }
                        a href={ "/console/lang/" (other.as_str()) "?back=" (back) } lang=(other.as_str()) {
                            (t(texts, &msg!("console-lang-other")))
                        }
                    }
                    @if let Some(me) = me {
                        span.who { (me.caller.id) }
                        form method="post" action="/console/logout" {
                            input type="hidden" name="csrf" value=(me.csrf);
                            button.link type="submit" { (t(texts, &msg!("console-nav-logout"))) }
                        }
                    }
                }
                main {
                    h1 { (t(texts, title)) }
                    div #console-error .error role="alert" hidden {}
                    (body)
                }
            }
        }
    }
}

/// A path for a query string: the few characters a console path can hold that a query may not.
fn url_encode(path: &str) -> String {
    url::form_urlencoded::byte_serialize(path.as_bytes()).collect()
}

pub fn error(texts: &Texts, m: &Msg) -> Markup {
    html! {
        p.error { (t(texts, m)) }
        p { a href="/console" { (t(texts, &msg!("console-back"))) } }
    }
}

pub fn no_pages_for(texts: &Texts) -> Markup {
    html! { p.notice { (t(texts, &msg!("console-no-pages-for-role"))) } }
}

pub fn login(texts: &Texts, namespace: &str) -> Markup {
    html! {
        form #login .decide method="post" action="/console/login"
            data-namespace=(namespace)
            data-no-key=(t(texts, &msg!("console-no-key")))
            data-failed=(t(texts, &msg!("console-script-failed"))) {
            label for="id" { (t(texts, &msg!("console-id"))) }
            input #id type="text" name="id" required autocomplete="username" autocapitalize="none" spellcheck="false";
            input type="hidden" name="challenge";
            input type="hidden" name="public_key";
            input type="hidden" name="signature";
            button type="submit" { (t(texts, &msg!("console-login-button"))) }
        }
        p.notice { (t(texts, &msg!("console-login-explain"))) }
    }
}

pub fn key(texts: &Texts) -> Markup {
    html! {
        p { (t(texts, &msg!("console-key-explain"))) }
        form #make-key .decide
            data-none=(t(texts, &msg!("console-key-none")))
            data-exists=(t(texts, &msg!("console-key-exists")))
            data-failed=(t(texts, &msg!("console-script-failed"))) {
            label for="id" { (t(texts, &msg!("console-id"))) }
            input #id type="text" name="id" required autocomplete="username" autocapitalize="none" spellcheck="false";
            button type="submit" { (t(texts, &msg!("console-key-make"))) }
        }
        p #key-state {}
        code #public-key .key-line hidden {}
        h2 { (t(texts, &msg!("console-key-enrol-title"))) }
        p { (t(texts, &msg!("console-key-enrol"))) }
        pre.key-line { "okuri trust add trust.toml --role custodian --id ID --name NAME --department DEPT \\\n    --classes I,II --departments DEPT --public-key browser.pub --key ciso.key\n"
            "okuri staff add staff.toml --id ID --name NAME --department DEPT \\\n    --public-key browser.pub --key admin.key" }
    }
}

fn status(texts: &Texts, s: Status) -> Markup {
    html! {
        span class={ "status status-" (s.as_str()) } { (t(texts, &msg!("console-status", status = s.as_str()))) }
    }
}

/// A list of requests, newest first, with the link to the next page when there is one.
pub fn rows(
    texts: &Texts,
    docs: &Docs,
    rows: &[Row],
    base: &str,
    next: Option<&RequestId>,
    empty: Msg,
) -> Markup {
    let read: Vec<(&Row, Option<Request>)> = rows
        .iter()
        .map(|r| (r, serde_json::from_str::<Request>(&r.body).ok()))
        .collect();
    html! {
        @if read.is_empty() && next.is_none() {
            p.notice { (t(texts, &empty)) }
        } @else if read.is_empty() {
            p.notice { (t(texts, &msg!("console-none-on-this-page"))) }
        } @else {
            table {
                thead { tr {
                    th { (t(texts, &msg!("console-col-request"))) }
                    th { (t(texts, &msg!("console-col-submitted"))) }
                    th { (t(texts, &msg!("console-col-requester"))) }
                    th { (t(texts, &msg!("console-col-file"))) }
                    th { (t(texts, &msg!("console-col-class"))) }
                    th { (t(texts, &msg!("console-col-recipient"))) }
                    th { (t(texts, &msg!("console-col-status"))) }
                } }
                tbody {
                    @for (r, req) in &read {
                        tr {
                            td { a href={ "/console/requests/" (r.id) } { (r.id) } }
                            td { (r.submitted_at) }
                            // Who, as the directory and the register name them (the
                            // request page shows what the request claims beside them).
                            td {
                                @match docs.directory.get(r.requester.as_str()) {
                                    Some(p) => (shown(&p.name)),
                                    None => @if let Some(q) = req { (shown(&q.requester.name)) },
                                }
                                " (" (r.requester) ")"
                            }
                            td { @if let Some(q) = req { (crate::base::fsname::shown(&q.file.name)) } }
                            td { (texts.class(r.class)) }
                            td { @if let Some(q) = req {
                                @match docs.register.get(&q.recipient.id) {
                                    Some(reg) => (shown(&reg.name)),
                                    None => (shown(&q.recipient.name)),
                                }
                            } }
                            td { (status(texts, r.status)) }
                        }
                    }
                }
            }
        }
        @if let Some(n) = next {
            p { a href={ (base) "?after=" (n) } { (t(texts, &msg!("console-next-page"))) } }
        }
    }
}

/// The payload as signed, for people: every character as it is but those that would change
/// how the text looks rather than appear in it (direction marks, invisible ones), written
/// `\u{…}` — unambiguous in JSON text, where a backslash only ever starts JSON's own escapes.
fn written_out(payload: &str) -> String {
    payload
        .chars()
        .map(|c| {
            if c != '\n' && crate::base::fsname::needs_escape(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Text a requester wrote (or a document holds), for people: control and direction-formatting
/// characters written out (`\u{202e}`), so that what is read is what is signed.
fn shown(text: &str) -> String {
    crate::base::fsname::shown(text)
}

/// What a request says, in full: what the custodian approves or denies. Who the recipient and
/// the requester are comes from the city's register and directory, with what the request
/// claims beside it where that differs; the class's source is what the requester's okuri
/// said, and the officers' designations the service holds (verified now) are listed apart.
fn facts(texts: &Texts, q: &Request, docs: &Docs, designations: &[DesignationPayload]) -> Markup {
    let registered = docs.register.get(&q.recipient.id);
    let person = docs.directory.get(q.requester.id.as_str());
    let source = match q.class_source.as_str() {
        s @ ("designation" | "register" | "sidecar" | "xattr" | "default") => s,
        _ => "other",
    };
    html! {
        table.facts {
            tr { th { (t(texts, &msg!("console-field-file"))) } td { (crate::base::fsname::shown(&q.file.name)) } }
            tr { th { (t(texts, &msg!("console-field-size"))) } td { (t(texts, &msg!("console-bytes", n = q.file.size))) } }
            tr { th { "BLAKE3" } td.digest { (q.file.blake3) } }
            tr { th { (t(texts, &msg!("console-col-class"))) } td { (texts.class(q.class)) } }
            tr { th { (t(texts, &msg!("console-field-class-source"))) } td {
                (t(texts, &msg!("console-class-source", source = source)))
            } }
            tr { th { (t(texts, &msg!("console-field-designations"))) } td #designations {
                @if designations.is_empty() {
                    (t(texts, &msg!("console-no-designation")))
                }
                @for (i, d) in designations.iter().enumerate() {
                    @if i > 0 { br; }
                    (t(texts, &msg!(
                        "console-designation",
                        class = d.class,
                        officer = format!("{} ({})", shown(&d.officer.name), d.officer.id),
                        department = shown(&d.department),
                        at = d.designated_at.as_str()
                    )))
                }
            } }
            @match registered {
                Some(r) => {
                    tr { th { (t(texts, &msg!("console-col-recipient"))) } td { (shown(&r.name)) " (" (shown(&r.id)) ")" } }
                    tr { th { (t(texts, &msg!("console-field-contract"))) } td { (shown(&r.contract)) } }
                    tr { th { (t(texts, &msg!("console-field-agreement-ends"))) } td { (r.agreement_ends) } }
                    @if r.name != q.recipient.name || r.contract != q.recipient.contract {
                        tr.differs { td colspan="2" .error {
                            (t(texts, &msg!(
                                "console-recipient-differs",
                                name = shown(&q.recipient.name),
                                contract = shown(&q.recipient.contract)
                            )))
                        } }
                    }
                }
                None => {
                    tr { th { (t(texts, &msg!("console-col-recipient"))) } td.error {
                        (shown(&q.recipient.name)) " (" (shown(&q.recipient.id)) ") — " (t(texts, &msg!("console-not-in-register")))
                    } }
                }
            }
            tr { th { (t(texts, &msg!("console-field-channel"))) } td { (texts.channel(q.channel)) } }
            tr { th { (t(texts, &msg!("console-field-purpose"))) } td { (shown(&q.purpose)) } }
            tr { th { (t(texts, &msg!("console-field-legal-basis"))) } td {
                @match &q.legal_basis { Some(l) => (shown(l)), None => "—" }
            } }
            tr { th { (t(texts, &msg!("console-col-requester"))) } td {
                @match person {
                    Some(p) => {
                        (shown(&p.name)) " (" (q.requester.id) "), " (shown(&p.department))
                        @if p.name != q.requester.name || p.department != q.requester.department {
                            br;
                            span.error { (t(texts, &msg!(
                                "console-requester-differs",
                                name = shown(&q.requester.name),
                                department = shown(&q.requester.department)
                            ))) }
                        }
                    }
                    None => {
                        (shown(&q.requester.name)) " (" (q.requester.id) "), " (shown(&q.requester.department))
                    }
                }
            } }
            tr { th { (t(texts, &msg!("console-field-requested-at"))) } td { (q.created_at) } }
            tr { th { (t(texts, &msg!("console-field-request-id"))) } td { (q.request_id) } }
        }
    }
}

/// The reason a signed denial gives, read from its payload.
fn denial_reason(document: &str) -> Option<String> {
    let signed = crate::signed::Signed::parse(document.as_bytes()).ok()?;
    serde_json::from_slice::<DenialPayload>(&signed.payload)
        .ok()
        .map(|d| d.reason)
}

pub fn request(
    texts: &Texts,
    me: &In,
    v: &RequestView,
    docs: &Docs,
    designations: &[DesignationPayload],
    decide: bool,
) -> Markup {
    let q = &v.request;
    let max = docs.policy.approval.max_validity_hours;
    let default = docs.policy.approval.default_validity_hours;
    html! {
        p { (status(texts, v.status)) " " (t(texts, &msg!("console-submitted-at", at = v.submitted_at.as_str()))) }
        @if let (Some(by), Some(at)) = (&v.decided_by, &v.decided_at) {
            p { (t(texts, &msg!("console-decided", who = by, at = at.as_str()))) }
        }
        @if let Some(reason) = v.denial.as_deref().and_then(denial_reason) {
            p.error { (t(texts, &msg!("console-denial-reason", reason = shown(&reason)))) }
        }
        @if v.token.is_some() {
            p { a #token-download href={ "/console/requests/" (q.request_id) "/token" } download {
                (t(texts, &msg!("console-token-download")))
            } }
        }
        @if let Some(c) = &v.consumed {
            p { (t(texts, &msg!("console-consumed", transfer = c.transfer_id.as_str(), at = c.at.as_str()))) }
        }
        (facts(texts, q, docs, designations))
        @if decide {
            div.columns {
                form #approve .decide method="post" action={ "/console/requests/" (q.request_id) "/approve" } {
                    input type="hidden" name="csrf" value=(me.csrf);
                    label for="hours" { (t(texts, &msg!("console-approve-hours", max = max))) }
                    input #hours type="number" name="hours" min="1" max=(max) value=(default) required;
                    button type="submit" { (t(texts, &msg!("console-approve-button"))) }
                }
                form #deny .decide method="post" action={ "/console/requests/" (q.request_id) "/deny" } {
                    input type="hidden" name="csrf" value=(me.csrf);
                    label for="reason" { (t(texts, &msg!("console-deny-reason"))) }
                    textarea #reason name="reason" rows="3" maxlength="1000" required {}
                    button.deny type="submit" { (t(texts, &msg!("console-deny-button"))) }
                }
            }
        }
    }
}

/// The page that asks for the signature: what is signed, rendered from the payload the
/// service keeps (the very bytes the browser signs, which it is given in `data-payload`).
pub fn sign(
    texts: &Texts,
    me: &In,
    p: &Pending,
    docs: &Docs,
    designations: &[DesignationPayload],
) -> Option<Markup> {
    let what = Shown::of(p)?;
    let namespace = super::namespace(p.kind);
    let payload = base64::engine::general_purpose::STANDARD.encode(p.payload.as_bytes());
    Some(html! {
        p.notice { (t(texts, &msg!("console-sign-explain"))) }
        @match &what {
            Shown::Token(tok) => {
                h2 { (t(texts, &msg!("console-sign-approval"))) }
                table.facts {
                    tr { th { (t(texts, &msg!("console-field-custodian"))) } td { (shown(&tok.issuer.name)) " (" (tok.issuer.id) ")" } }
                    tr { th { (t(texts, &msg!("console-field-key"))) } td.digest { (tok.issuer.key) } }
                    tr { th { (t(texts, &msg!("console-field-token-id"))) } td { (tok.token_id) } }
                    tr { th { (t(texts, &msg!("console-field-issued-at"))) } td { (tok.issued_at.as_str()) } }
                    tr { th { (t(texts, &msg!("console-field-expires-at"))) } td #expires-at { (tok.expires_at.as_str()) } }
                }
                (facts(texts, &tok.request, docs, designations))
            }
            Shown::Denial(d) => {
                h2 { (t(texts, &msg!("console-sign-denial"))) }
                table.facts {
                    tr { th { (t(texts, &msg!("console-field-custodian"))) } td { (shown(&d.issuer.name)) " (" (d.issuer.id) ")" } }
                    tr { th { (t(texts, &msg!("console-field-key"))) } td.digest { (d.issuer.key) } }
                    tr { th { (t(texts, &msg!("console-field-reason"))) } td #reason-shown { (shown(&d.reason)) } }
                    tr { th { (t(texts, &msg!("console-field-denied-at"))) } td { (d.denied_at.as_str()) } }
                }
                (facts(texts, &d.request, docs, designations))
            }
        }
        details {
            summary { (t(texts, &msg!("console-sign-bytes"))) }
            pre.key-line #payload { (written_out(&p.payload)) }
        }
        form #sign .decide method="post" action="/console/pending"
            data-payload=(payload)
            data-namespace=(namespace)
            data-signer=(me.caller.id)
            data-no-key=(t(texts, &msg!("console-no-key")))
            data-failed=(t(texts, &msg!("console-script-failed"))) {
            input type="hidden" name="csrf" value=(me.csrf);
            input type="hidden" name="nonce" value=(p.nonce);
            input type="hidden" name="signature";
            button type="submit" { (t(texts, &msg!("console-sign-button"))) }
        }
        p { a href={ "/console/requests/" (p.request_id) } { (t(texts, &msg!("console-sign-cancel"))) } }
    })
}
