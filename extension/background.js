// Bootstrap only: answer the switch-role content script from Rust (src/web/background.rs).
// The listener is registered synchronously, as Manifest V3 service workers require.
import init, { onSwitchFormShown } from './pkg/aws_role_switcher.js';

const ready = init();
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  ready
    .then(() => onSwitchFormShown(message, sender))
    .then(sendResponse, () => sendResponse({ press: false }));
  return true;
});
