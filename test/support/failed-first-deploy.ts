// What a failed first `sls deploy` leaves behind, by CloudFormation's documented rules, for the
// templates `sls package` writes. osls creates the stack from the create template (its deployment
// bucket only), then adds everything else in one update; when that update fails, CloudFormation rolls
// it back. Per the DeletionPolicy page
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html):
//   - Delete (the default for these types): a resource the rolled-back operation created is deleted;
//   - RetainExceptOnCreate: "If the stack operation that created the resource is rolled back,
//     CloudFormation deletes the resource";
//   - Retain: the resource is kept, whatever the operation.
// A kept resource with a fixed name (a keyspace, a table) then makes the next deploy fail with
// AlreadyExists. moto models neither the rollback nor AWS::Cassandra, so this is checked here, on the
// packaged templates, rather than on a moto deploy.

interface Template {
  Resources: Record<string, { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> }>;
}

export interface LeftBehind {
  resource: string;
  type: string;
  /** The name the template gives it (`KeyspaceName`, `TableName`, …): the next deploy's create of it fails with AlreadyExists. */
  fixedName?: string;
}

/** The `<Type>Name` property CloudFormation takes as the physical name (KeyspaceName, TableName, LogGroupName, FunctionName…). */
function fixedNameOf(type: string, properties: Record<string, unknown> = {}): string | undefined {
  const value = properties[`${type.split('::').at(-1)}Name`];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The resources the update adds that survive its rollback. One without a fixed name is an orphan
 * (osls keeps its `AWS::Lambda::Version`s, which go with the function they belong to); one with a
 * fixed name stops the retry.
 */
export function leftBehindByFailedFirstDeploy(create: Template, update: Template): LeftBehind[] {
  return Object.entries(update.Resources)
    .filter(([name, resource]) => !(name in create.Resources) && resource.DeletionPolicy === 'Retain')
    .map(([resource, { Type, Properties }]) => {
      const fixedName = fixedNameOf(Type, Properties);
      return { resource, type: Type, ...(fixedName === undefined ? {} : { fixedName }) };
    });
}
