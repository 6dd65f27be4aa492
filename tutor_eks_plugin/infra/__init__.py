"""The Terraform driver behind `tutor eks infra`.

One concern per module:

- ``source``: where the packaged stacks live (or ``EKS_TERRAFORM_SOURCE``);
- ``workdir``: the per-Tutor-root working directory, synced from the source;
- ``variables``: the tfvars generated from the Tutor config and stage-1 outputs;
- ``backend``: the S3 (or local) state backend settings;
- ``terraform``: the one adapter around python-terraform;
- ``contract``: stage-1 outputs -> Tutor keys (docs/outputs-contract.md);
- ``secrets``: Secrets Manager values fetched with boto3;
- ``driver``: init/plan/apply/output/destroy/validate over the stages.
"""
