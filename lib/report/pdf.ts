/**
 * Print the report's HTML to an A4 PDF with headless Chromium. Every request other than the page
 * itself is aborted, so printing cannot reach the network even if the HTML asked it to.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.js';

interface PdfResult {
  bytes: number;
  blockedRequests: string[];
}

/** Print `htmlFile` to `pdfFile`; footer shows page numbers. */
export async function printPdf(htmlFile: string, pdfFile: string, chromiumPath: string): Promise<PdfResult> {
  const session = await launchChromium(chromiumPath);
  try {
    const context = await session.browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    const pageUrl = pathToFileURL(htmlFile).href;
    const blocked: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pageUrl) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(pageUrl, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      outline: true,
      tagged: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="width:100%;font:8px Liberation Serif,serif;color:#666;text-align:center"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    });
    writeFileSync(pdfFile, pdf);
    await context.close();
    return { bytes: pdf.length, blockedRequests: blocked };
  } finally {
    await session.close();
  }
}
