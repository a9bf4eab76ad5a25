// One Lighthouse run (its default config: the mobile preset) of one page as a logged-in
// person sees it: the session cookie set in Chromium's own cookie jar (Lighthouse's
// recipe for pages behind a login), not sent as --extra-headers, which a response's
// Set-Cookie (the CSRF cookie) replaces for every later request of the page (Lighthouse
// issue #6207): the page's own scripts and posters would be asked for logged out.
//
//   node bench/lighthouse_page.mjs LIGHTHOUSE_DIR URL COOKIES_JSON REPORT_JSON CATEGORIES
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [folder, url, cookies, report, categories] = process.argv.slice(2);
const resolve = createRequire(join(folder, "package.json")).resolve;
const puppeteer = (await import(pathToFileURL(resolve("puppeteer-core")))).default;
const lighthouse = (await import(pathToFileURL(resolve("lighthouse")))).default;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  await page.setCookie(...JSON.parse(cookies).map((cookie) => ({ ...cookie, url })));
  const result = await lighthouse(
    url,
    { output: "json", logLevel: "error", onlyCategories: categories.split(",") },
    undefined,
    page,
  );
  writeFileSync(report, result.report);
} finally {
  await browser.close();
}
