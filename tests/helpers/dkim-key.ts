import { generateKeyPairSync } from 'node:crypto';

/** A fresh RSA-2048 DKIM key (PKCS#8 PEM) and a mailauth resolver that publishes its TXT record at `<selector>._domainkey.<domain>`. */
export function dkimKey(selector: string, domain: string): { pem: string; resolver: (host: string, type: string) => Promise<string[][]> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const name = `${selector}._domainkey.${domain}`;
  const resolver = async (host: string, type: string) => {
    if (type === 'TXT' && host === name) return [[`v=DKIM1; k=rsa; p=${p}`]];
    throw Object.assign(new Error(`no ${type} for ${host}`), { code: 'ENOTFOUND' });
  };
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), resolver };
}
