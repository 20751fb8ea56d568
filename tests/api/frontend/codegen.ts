// GraphQL Code Generator as a front end sets it up (the client preset), for the four screens'
// operations in this folder against the committed schema.graphql. Run from the repository root:
//   npx graphql-codegen --config tests/api/frontend/codegen.ts
// SALON_CODEGEN_OUT (a folder, ending in "/") says where the types go; tests/api/test_codegen.py
// generates into a temporary folder and compiles screens.ts against them.
import type { CodegenConfig } from "@graphql-codegen/cli";

const out = process.env.SALON_CODEGEN_OUT ?? "tests/api/frontend/gql/";

// JSON (Chart.spec, Job.result, exportPersonalData) is any JSON value: a named recursive type
// rather than `any`, so a screen narrows it before use.
const jsonValue = `export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };`;

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: "tests/api/frontend/*.graphql",
  // A document that does not validate against the schema fails the run.
  generates: {
    [out]: {
      preset: "client",
      plugins: [{ add: { placement: "prepend", content: jsonValue } }],
      config: {
        // A custom scalar without a type here fails the run (rather than becoming `unknown`).
        strictScalars: true,
        scalars: {
          Date: "string",
          DateTime: "string",
          Period: "string",
          JSON: "JsonValue",
          Upload: { input: "File", output: "never" },
        },
        enumType: "const",
        useTypeImports: true,
      },
    },
  },
};

export default config;
