import { BlocklistErrors } from '../../core/blocklist/blocklist-rule';
import { CatalogueErrors } from '../../core/catalogue/catalogue-errors';
import { AdminErrors } from '../admin/admin-errors';
import { GeneralErrors, VALIDATION_CODE, type ErrorDetail } from '../../core/errors/coded-error';
import { LinkErrors } from '../../core/links/link';
import { PhraseErrors } from '../../core/phrases/phrase';
import { VocabularyErrors } from '../../core/vocabularies/vocabulary-errors';
import { SERVER_ERROR, mappingFor } from './error-table';

const groups: ReadonlyArray<Record<string, ErrorDetail>> = [
  GeneralErrors,
  LinkErrors,
  PhraseErrors,
  CatalogueErrors,
  VocabularyErrors,
  BlocklistErrors,
  AdminErrors,
];
const declared: ErrorDetail[] = groups.flatMap((group) => Object.values(group));

describe('error table', () => {
  it.each(declared.filter((error) => error !== GeneralErrors.serverError).map((error) => error.code))(
    'maps the declared code %s to its own status, not to the generic 500',
    (code) => {
      expect(mappingFor(code)).not.toBe(SERVER_ERROR);
    },
  );

  it('maps validation failures to 400 and anything unknown to the generic 500', () => {
    expect(mappingFor(VALIDATION_CODE).status).toBe(400);
    expect(mappingFor(GeneralErrors.serverError.code)).toBe(SERVER_ERROR);
    expect(mappingFor('No.SuchCode')).toBe(SERVER_ERROR);
  });
});
