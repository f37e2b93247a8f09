import { useTranslation } from 'react-i18next';
import { ImportEncodingSchema } from '../../../shared/api/index.ts';

/** The encodings a file can be read in, named in the reader's language: before upload and in the preview. */
export function EncodingOptions() {
  const { t } = useTranslation();
  return (
    <>
      {ImportEncodingSchema.options.map((e) => (
        <option key={e} value={e}>
          {t(`importEncoding.${e}`)}
        </option>
      ))}
    </>
  );
}
