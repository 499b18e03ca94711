import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJobContact, parseResourceContact } from '../../../services/cli/contact.ts';

describe('contacts as grid users type them', () => {
  it('accepts a URL, host:port or a bare host (port 8443)', () => {
    assert.equal(parseResourceContact('https://localhost:8443').factoryUrl, 'https://localhost:8443/wsrf/services/ManagedJobFactoryService');
    assert.equal(parseResourceContact('grid.example.org:9443').baseUrl, 'https://grid.example.org:9443');
    assert.equal(parseResourceContact('localhost').baseUrl, 'https://localhost:8443');
  });

  it('refuses plain http', () => {
    assert.throws(() => parseResourceContact('http://localhost:8443'), { code: 'CLI_BAD_CONTACT' });
  });

  it('reads a job contact back into service URL and key', () => {
    const job = parseJobContact('https://localhost:8443/wsrf/services/ManagedJobService?job=0b7c1d6e-1f5a-4c1b-9f0e-2a3b4c5d6e7f');
    assert.equal(job.jobServiceUrl, 'https://localhost:8443/wsrf/services/ManagedJobService');
    assert.equal(job.jobKey, '0b7c1d6e-1f5a-4c1b-9f0e-2a3b4c5d6e7f');
    assert.throws(() => parseJobContact('https://localhost:8443/wsrf/services/ManagedJobService'), { code: 'CLI_BAD_CONTACT' });
  });
});
