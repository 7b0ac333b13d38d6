// Content script on AWS's switch-role page (https://<sign-in host>/switchrole). It presses
// "Switch Role" only when the extension itself opened this tab for exactly the account and role
// the form shows: the background answers yes once per tab (src/web/background.rs). When the
// form is not found unambiguously, or the answer is not a clear yes, it does nothing.
(() => {
  const ACCOUNT_NAMES = ['account', 'accountId', 'accountID'];
  const ROLE_NAMES = ['roleName'];
  const one = (names) => {
    const found = [...document.querySelectorAll('input')].filter((i) => names.includes(i.name));
    return found.length === 1 ? found[0] : null;
  };
  let tries = 0;
  const look = () => {
    const account = one(ACCOUNT_NAMES);
    const role = one(ROLE_NAMES);
    if (!account || !role || !account.value || !role.value) {
      // AWS's page may render its form late; give it a few seconds, then leave it alone.
      if (++tries < 40) setTimeout(look, 250);
      return;
    }
    const form = account.form;
    if (!form || role.form !== form) return;
    const buttons = form.querySelectorAll('button[type="submit"], input[type="submit"]');
    if (buttons.length !== 1) return;
    const shown = { account: account.value, roleName: role.value };
    chrome.runtime.sendMessage({ kind: 'switchFormShown', ...shown }).then((answer) => {
      if (answer?.press === true && account.value === shown.account && role.value === shown.roleName) {
        buttons[0].click();
      }
    }, () => { /* no answer: leave the form to the user */ });
  };
  look();
})();
