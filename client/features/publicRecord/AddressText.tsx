import { Trans } from 'react-i18next';

/**
 * A sentence that names the public address, with the address set off so that it is read (and
 * checked) as one thing. The string marks it `<address>{{address}}</address>`.
 */
export function AddressText({ i18nKey, address, values = {} }: { i18nKey: string; address: string; values?: Record<string, string> }) {
  return <Trans i18nKey={i18nKey} values={{ ...values, address }} components={{ address: <strong className="pub-address-text" /> }} />;
}
