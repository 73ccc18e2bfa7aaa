/**
 * Adds ajv-errors' `errorMessage` keyword, working around a defect in ajv-errors 3.0.0: it
 * decides whether an error lies below the keyword's location with `<path>.length`, and when
 * the path is a concatenation ("instancePath + "/repositories/" + i") the `.length` binds
 * to the last operand. So an `errorMessage` anywhere but the root never sees the errors of
 * its children (e.g. `covered` of a repository item) and the author's message is lost.
 * Running the keyword's code while the generated `instancePath` variable holds the whole
 * path (and the relative path is empty) makes that expression a plain variable again.
 */
import { type Ajv2020, type CodeKeywordDefinition, type KeywordCxt, nil, str } from 'ajv/dist/2020.js';
import namesModule from 'ajv/dist/compile/names.js';
import ajvErrors from 'ajv-errors';

type Names = typeof namesModule.default;
// Node hands over this CommonJS module's exports object; vitest and some bundlers its `default`.
const names: Names = (namesModule as { default?: Names }).default ?? (namesModule as unknown as Names);

export function addErrorMessageKeyword(ajv: Ajv2020): void {
  ajvErrors.default(ajv);
  const definition = ajv.getKeyword('errorMessage') as CodeKeywordDefinition;
  ajv.removeKeyword('errorMessage');
  ajv.addKeyword({ ...definition, code: (cxt) => codeAtFullPath(definition, cxt) });
}

function codeAtFullPath(definition: CodeKeywordDefinition, cxt: KeywordCxt): void {
  const { gen, it } = cxt;
  if (it.errorPath.emptyStr()) {
    definition.code(cxt);
    return;
  }
  const instancePath = names.instancePath;
  const outer = gen.const('outerInstancePath', instancePath);
  gen.assign(instancePath, str`${instancePath}${it.errorPath}`);
  // Overlays, not mutation: the same context goes on to generate the rest of the schema.
  const itAtFullPath = Object.create(it, { errorPath: { value: nil } });
  definition.code(Object.create(cxt, { it: { value: itAtFullPath } }));
  gen.assign(instancePath, outer);
}
