import { DigestTemplate, type DigestTemplateProps } from './_templates/DigestTemplate.js';
import { sampleEdition } from './_preview/sample-edition.js';
import { sampleBrand, samplePersonal } from './_preview/sample-reader.js';

/**
 * The digest as the dev server (`npm run dev`) lists it, filled with sample news and a sample
 * reader. Sending renders `_templates/DigestTemplate` directly, so no sample data is ever on the
 * production render path.
 */
export default function DigestEmail(props: Partial<DigestTemplateProps>) {
  return <DigestTemplate {...DigestEmail.PreviewProps} {...props} />;
}

DigestEmail.PreviewProps = {
  brand: sampleBrand,
  localDate: sampleEdition.localDate,
  sections: sampleEdition.sections,
  personal: samplePersonal,
} satisfies DigestTemplateProps;
