// Shared by client_bench.mjs and client_trace.mjs. Run in the page (page.evaluate) right before the
// sign-in click: notes in window.mdHomeAt when the home's balance enters the accessibility mirror
// (the DOM change itself; a Playwright poll sees it an animation frame and a round trip later), and
// returns the time of the call.
export function watchHomeBalance() {
  new MutationObserver((_, obs) => {
    if (!document.querySelector('#a11y [data-id="home.balance"]')) return;
    window.mdHomeAt = performance.now();
    obs.disconnect();
  }).observe(document.getElementById("a11y"), { childList: true, subtree: true });
  return performance.now();
}
