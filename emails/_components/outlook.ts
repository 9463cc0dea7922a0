/**
 * Outlook for Windows (Word's engine) ignores `max-width`, so the 600 px column would stretch
 * across the window. The layout marks where a fixed-width ghost table opens and closes with two
 * empty elements; {@link withOutlookWrappers} swaps them for MSO conditional comments, which
 * React cannot emit. Other clients never see the ghost table.
 */

/** Attribute of the element marking where the Outlook-only table opens. */
export const MSO_OPEN_MARK = '<i data-mso-open="600"></i>';
/** Attribute of the element marking where it closes. */
export const MSO_CLOSE_MARK = '<i data-mso-close=""></i>';

/** Replaces the layout's marks with the MSO conditional table that holds the column at 600 px. */
export function withOutlookWrappers(html: string): string {
  return html
    .replace(
      /<i data-mso-open="(\d+)"><\/i>/,
      (_m, width: string) =>
        `<!--[if mso]><table role="presentation" align="center" width="${width}" cellpadding="0" cellspacing="0" border="0" style="width:${width}px"><tr><td><![endif]-->`,
    )
    .replace(MSO_CLOSE_MARK, '<!--[if mso]></td></tr></table><![endif]-->');
}
