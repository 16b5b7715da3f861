// Web statistics (R_VIS_04): loaded only on a portal built with a Matomo URL and site id (see the README).
// Cookieless, no user id, and nothing personal in what is sent: the URL is the page's path without its
// query string or fragment (no course id, no #token), the title is the page's title as built, and the
// referrer is left out. Matomo itself must mask two bytes of the IP address (its privacy settings).

const config = document.querySelector('meta[name="lr-statistics"]');

if (config) {
  const base = config.dataset.url;
  const page = new URL(window.location.href);
  const queue = (window._paq = window._paq || []);
  queue.push(["disableCookies"]);
  queue.push(["setDoNotTrack", true]);
  queue.push(["disableBrowserFeatureDetection"]);
  queue.push(["setCustomUrl", page.origin + page.pathname]);
  queue.push(["setReferrerUrl", ""]);
  queue.push(["setDocumentTitle", config.dataset.title]);
  queue.push(["setTrackerUrl", `${base}matomo.php`]);
  queue.push(["setSiteId", config.dataset.siteId]);
  queue.push(["trackPageView"]);
  const tracker = document.createElement("script");
  tracker.async = true;
  tracker.src = `${base}matomo.js`;
  document.head.append(tracker);
}
