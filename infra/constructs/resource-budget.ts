import { CfnResource, Stack } from 'aws-cdk-lib';

/** CloudFormation's hard limit of resources in one template. */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;

/** The CloudFormation resources a stack's own template holds (a nested stack counts once). */
export function countResources(stack: Stack): number {
  return stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
}

/**
 * Fails the synth, naming the stack, when its template would hold more than `budget`
 * resources: better a clear error here than a rejected deploy. The budget sits below the
 * limit so a warning shows up while a route or two can still be added.
 */
export function enforceResourceBudget(stack: Stack, budget = 450): void {
  stack.node.addValidation({
    validate: () => {
      const count = countResources(stack);
      return count > budget
        ? [
            `${stack.node.path} holds ${count} CloudFormation resources, over its budget of ${budget} ` +
              `(hard limit ${CLOUDFORMATION_RESOURCE_LIMIT}). Split its routes: give the area's ` +
              'handlers a second folder under functions/, which becomes its own nested stack.',
          ]
        : [];
    },
  });
}
