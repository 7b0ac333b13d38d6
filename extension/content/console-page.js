// Functions that src/web/switch.rs runs inside an AWS console tab with
// chrome.scripting.executeScript. The browser sends each one by its source text, so each must be
// self-contained; they return plain data and never insert page text as HTML.

/**
 * In the page's main world: what the console says about its session and who is signed in.
 * The identity fields are those of `ConsoleNavService.AccountInfo`, else the account menu's
 * elements (as AWS Extend Switch Roles reads them); src/console/identity.rs interprets them.
 */
async function readConsole() {
  const meta = document.querySelector('meta[name="awsc-session-data"]');
  let csrf = '';
  try {
    csrf = String((await window.AWSC?.Auth?.getMbtc?.()) ?? '');
  } catch { /* no token: the caller falls back to the switch-role page */ }
  const info = window.ConsoleNavService?.AccountInfo || {};
  const menu = (id) => document.getElementById(id)?.textContent?.trim() || '';
  const field = (name, id) => String(info[name] ?? '') || menu(id);
  return {
    url: location.href,
    sessionData: meta?.getAttribute('content') || '',
    csrf,
    accountId: String(info.accountId ?? ''),
    loginAccount: field('loginDisplayNameAccount', 'awsc-login-display-name-account'),
    loginUser: field('loginDisplayNameUser', 'awsc-login-display-name-user'),
    roleAccount: field('roleDisplayNameAccount', 'awsc-role-display-name-account'),
    roleUser: field('roleDisplayNameUser', 'awsc-role-display-name-user'),
  };
}

/** POST `fields` ([name, value] pairs) to `action` from the tab, as the console's own "Switch Role" does. */
function postForm(action, fields) {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = action;
  form.hidden = true;
  for (const [name, value] of fields) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  (document.body || document.documentElement).append(form);
  HTMLFormElement.prototype.submit.call(form);
  return true;
}

/** Multi-session mode: the console's credentialed JSON call; returns { status, text }. */
async function multiSessionSwitch(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json', 'X-CSRF-PROTECTION': '1' },
    body,
  });
  return { status: response.status, text: await response.text() };
}

export function pageFunction(name) {
  return { readConsole, postForm, multiSessionSwitch }[name];
}
