// okuri web console: the browser key and signing, nothing else (the pages are rendered by the
// service; docs/console.md).
//
// A person's browser key is an Ed25519 key made here by WebCrypto with `extractable: false`:
// the browser keeps it in IndexedDB (database "okuri-console", store "keys", one record per
// staff id: {privateKey, publicKey, created}) and signs with it, and no script, okuri's
// included, can read its private part. What it signs is always an SSHSIG blob
// ("SSHSIG" ‖ string(namespace) ‖ string("") ‖ string("sha512") ‖ string(SHA-512(message))),
// so the service can assemble an SSHSIG that stock `ssh-keygen -Y verify` accepts.
"use strict";

(() => {
  const DB = "okuri-console";
  const STORE = "keys";
  const utf8 = new TextEncoder();

  function open() {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  async function request(mode, act) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const r = act(t.objectStore(STORE));
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  const getKey = (id) => request("readonly", (s) => s.get(id));
  // `add`, never `put`: a key once made for an id is never replaced behind its owner's back.
  const addKey = (id, pair) =>
    request("readwrite", (s) =>
      s.add({ privateKey: pair.privateKey, publicKey: pair.publicKey, created: new Date().toISOString() }, id),
    );

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  // An SSH "string": a 4-byte big-endian length, then the bytes.
  function sshString(bytes) {
    const n = bytes.length;
    return concat(new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]), bytes);
  }

  function base64(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }

  function unbase64(text) {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }

  // The public key as an OpenSSH line, the way `okuri trust add` and `okuri staff add` read it.
  async function publicLine(id, publicKey) {
    const raw = new Uint8Array(await crypto.subtle.exportKey("raw", publicKey));
    const blob = concat(sshString(utf8.encode("ssh-ed25519")), sshString(raw));
    return `ssh-ed25519 ${base64(blob)} ${id} okuri-browser`;
  }

  async function signedData(namespace, message) {
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-512", message));
    return concat(
      utf8.encode("SSHSIG"),
      sshString(utf8.encode(namespace)),
      sshString(new Uint8Array(0)),
      sshString(utf8.encode("sha512")),
      sshString(hash),
    );
  }

  async function sign(key, namespace, message) {
    const data = await signedData(namespace, message);
    return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, data));
  }

  // Says what went wrong in the page's own words (data-* attributes the service rendered in
  // the reader's language), with the browser's detail.
  function fail(form, which, detail) {
    const out = document.getElementById("console-error");
    const text = form.dataset[which] || form.dataset.failed || which;
    out.textContent = detail ? `${text} (${detail})` : text;
    out.hidden = false;
  }

  function busy(form, on) {
    for (const b of form.querySelectorAll("button")) b.disabled = on;
  }

  async function showKey(form) {
    const id = form.elements.id.value.trim();
    const out = document.getElementById("public-key");
    const state = document.getElementById("key-state");
    if (!id) return;
    const key = await getKey(id);
    if (key) {
      out.textContent = await publicLine(id, key.publicKey);
      out.hidden = false;
      state.textContent = form.dataset.exists;
    } else {
      out.textContent = "";
      out.hidden = true;
      state.textContent = form.dataset.none;
    }
  }

  async function makeKey(form) {
    const id = form.elements.id.value.trim();
    if (await getKey(id)) return showKey(form);
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    await addKey(id, pair);
    return showKey(form);
  }

  async function logIn(form) {
    const id = form.elements.id.value.trim();
    const key = await getKey(id);
    if (!key) return fail(form, "noKey");
    const r = await fetch("/v1/auth/challenge", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id }),
    });
    const body = await r.json();
    // The service's code, not its English message: the page speaks the reader's language.
    if (!r.ok) return fail(form, "failed", body.error ? body.error.code : r.status);
    const message = utf8.encode(`okuri-auth v1\n${id}\n${body.challenge}\n`);
    const sig = await sign(key, form.dataset.namespace, message);
    // The id exactly as signed.
    form.elements.id.value = id;
    form.elements.challenge.value = body.challenge;
    form.elements.public_key.value = await publicLine(id, key.publicKey);
    form.elements.signature.value = base64(sig);
    form.submit();
  }

  async function signDecision(form) {
    const key = await getKey(form.dataset.signer);
    if (!key) return fail(form, "noKey");
    const sig = await sign(key, form.dataset.namespace, unbase64(form.dataset.payload));
    form.elements.signature.value = base64(sig);
    form.submit();
  }

  // Each form's submit runs its step; an exception is shown, never swallowed.
  function on(id, step) {
    const form = document.getElementById(id);
    if (!form) return;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(form, true);
      step(form)
        .catch((err) => fail(form, "failed", err && err.message ? err.message : String(err)))
        .finally(() => busy(form, false));
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.crypto || !crypto.subtle || !window.indexedDB) {
      const out = document.getElementById("console-error");
      if (out) {
        out.textContent = document.body.dataset.noCrypto || "WebCrypto";
        out.hidden = false;
      }
      return;
    }
    on("make-key", makeKey);
    on("login", logIn);
    on("sign", signDecision);
    const keyForm = document.getElementById("make-key");
    if (keyForm) {
      keyForm.elements.id.addEventListener("change", () => showKey(keyForm));
      showKey(keyForm).catch((err) => fail(keyForm, "failed", err.message));
    }
  });
})();
