"""`tutor eks infra` over the stages: init, plan, apply, output, destroy, validate.

Stage 1 (``aws``) runs first; stage 2 (``cluster``) takes its inputs from stage 1's
outputs. Destroy runs in reverse. The Tutor config is written from the stage-1
outputs (see ``contract``) as soon as stage 1 succeeded, so that a failing stage 2
leaves a config that matches the AWS resources that now exist.
"""

from __future__ import annotations

import json
import typing as t
from contextlib import nullcontext
from pathlib import Path

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt

from .. import tools
from . import backend as backends
from . import bootstrap, config_sync, contract, dns_records, source, stages, variables, workdir
from .secrets import SecretReader
from .terraform import Terraform

Outputs = dict[str, dict[str, t.Any]]
PLAN_NO_CHANGES = 0
PLAN_CHANGES = 2


class Driver:
    def __init__(self, root: str, source_override: t.Optional[str] = None) -> None:
        self.root = root
        self.config = tutor_config.load(root)
        self.source = source.root(source_override)
        self._binary: t.Optional[str] = None
        self._ready: dict[str, Terraform] = {}
        self._outputs: dict[str, Outputs] = {}
        self._warned_local = False

    # -- preparing a stage -------------------------------------------------------
    @property
    def binary(self) -> str:
        if self._binary is None:
            self._binary = tools.terraform()
        return self._binary

    def backend(self, stage: str) -> backends.Backend:
        chosen = backends.from_config(self.config, stage)
        if not self._warned_local:
            backends.warn_if_local(chosen, self.root)
            self._warned_local = True
        return chosen

    def check_backends(self, selected: list[str]) -> None:
        """A missing backend setting stops the command before terraform runs."""
        for stage in selected:
            self.backend(stage)

    def _selected(self, only: t.Optional[str], one_stage: str = "") -> list[str]:
        """The stages a command runs on, their backend settings checked first. With
        ``one_stage`` (what holds for a single stage only), both stages are refused."""
        selected = stages.selected(self.config, only)
        if one_stage and len(selected) != 1:
            raise exceptions.TutorError(f"{one_stage}: add --stage aws or --stage cluster.")
        self.check_backends(selected)
        return selected

    def stage(self, name: str, stream_init: bool = False, **init: t.Any) -> Terraform:
        """The stage's synced working directory, tfvars written and terraform init run."""
        if name in self._ready and not init:
            return self._ready[name]
        chosen = self.backend(name)
        source.stack(self.source, name)
        upstream = self.stage1_outputs() if name == stages.CLUSTER else None
        path = workdir.prepare(self.root, self.source, name, chosen)
        workdir.write_tfvars(path, variables.for_stage(path, self.config, upstream))
        terraform = Terraform(path, name, self.binary)
        if not stream_init:
            fmt.echo_info(f"Stage {name}: terraform init in {path}")
        terraform.init(chosen, tools.provider_mirror(), stream=stream_init, **init)
        self._ready[name] = terraform
        return terraform

    def outputs(self, name: str) -> Outputs:
        if name not in self._outputs:
            self._outputs[name] = self.stage(name).outputs()
        return self._outputs[name]

    def stage1_outputs(self) -> Outputs:
        if not source.has_stack(self.source, stages.AWS):
            return {}
        return self.outputs(stages.AWS)

    def _forget_outputs(self, name: str) -> None:
        self._outputs.pop(name, None)

    def _require_upstream(self, name: str) -> bool:
        """Stage 2 needs stage-1 outputs; False when stage 1 was never applied."""
        return name != stages.CLUSTER or bool(self.stage1_outputs())

    # -- commands ----------------------------------------------------------------
    def init(self, only: t.Optional[str], reconfigure: bool, migrate_state: bool) -> None:
        for name in self._selected(only):
            fmt.echo_info(f"Stage {name}: terraform init")
            self.stage(name, stream_init=True, reconfigure=reconfigure, migrate_state=migrate_state)

    def plan(self, only: t.Optional[str], out: t.Optional[str]) -> int:
        selected = self._selected(only, "--out saves the plan of one stage" if out else "")
        code = PLAN_NO_CHANGES
        for name in selected:
            if not self._require_upstream(name):
                if only:
                    raise exceptions.TutorError(_NO_UPSTREAM)
                fmt.echo_alert(f"Stage {name}: not planned yet. {_NO_UPSTREAM}")
                code = PLAN_CHANGES
                continue
            plan_file = str(Path(out).resolve()) if out else None
            terraform = self.stage(name)  # runs terraform init first: announce plan after
            fmt.echo_info(f"Stage {name}: terraform plan")
            result = terraform.plan(out=plan_file)
            code = max(code, result.code)
        return code

    def apply(self, only: t.Optional[str], plan_file: t.Optional[str]) -> None:
        selected = self._selected(only, "A saved plan belongs to one stage" if plan_file else "")
        synced = False
        for name in selected:
            if not self._require_upstream(name):
                raise exceptions.TutorError(_NO_UPSTREAM)
            terraform = self.stage(name)
            fmt.echo_info(f"Stage {name}: terraform apply")
            if plan_file and not Path(plan_file).resolve().is_file():
                raise exceptions.TutorError(f"Plan file {plan_file} does not exist.")
            # Stage 1 may wait for certificate validation: show the records meanwhile.
            watch = dns_records.watching(self.config) if name == stages.AWS else nullcontext()
            with watch as watcher:
                if plan_file:
                    terraform.apply(str(Path(plan_file).resolve()))
                else:
                    terraform.apply()
            self._forget_outputs(name)
            if name == stages.AWS:
                # Saved now: a failing stage 2 must not leave config.yml pointing at
                # the data stores of before this apply.
                self.sync_config()
                synced = True
                dns_records.final(
                    self.config, self.stage1_outputs(), watcher.hosts() if watcher else []
                )
        if not synced:
            self.sync_config()

    def output(self, only: t.Optional[str]) -> None:
        for name in self._selected(only):
            found = self.outputs(name)
            click.echo(f"# stage {name}")
            for line in masked(found):
                click.echo(line)
        self.sync_config()

    def destroy(
        self, only: t.Optional[str], yes: bool, force_protected: bool, answer: t.Callable[[], str]
    ) -> None:
        selected = stages.reverse(self._selected(only))
        # The config alone can refuse: before terraform init and before any AWS call.
        self.check_protection(force_protected, from_outputs=False)
        self.check_protection(force_protected, from_outputs=True)
        name = self.config["EKS_NAME"]
        if not yes and answer() != name:
            raise exceptions.TutorError(
                f"Destroy cancelled: the name typed is not the instance name ({name!r})."
            )
        for stage_name in selected:
            if not self._require_upstream(stage_name):
                if self.stage_without_inputs_is_empty(stage_name):
                    fmt.echo_info(f"Stage {stage_name}: nothing to destroy")
                    continue
                raise exceptions.TutorError(_NO_UPSTREAM)
            terraform = self.stage(stage_name)
            fmt.echo_info(f"Stage {stage_name}: terraform destroy")
            terraform.destroy()
            self._forget_outputs(stage_name)
        fmt.echo_info(
            "Destroyed. The Tutor config still holds the old endpoints: they point at "
            "nothing until the next `tutor eks infra apply`."
        )
        note = bootstrap.destroy_note(self.config)
        if note:
            fmt.echo_info(note)

    def unlock(self, only: str, lock_id: str) -> None:
        """``terraform force-unlock`` in the stage's initialised working directory."""
        self.check_backends([only])
        if only == stages.CLUSTER and not self._require_upstream(only):
            raise exceptions.TutorError(_NO_UPSTREAM)
        terraform = self.stage(only)
        fmt.echo_info(f"Stage {only}: terraform force-unlock {lock_id}")
        terraform.force_unlock(lock_id)
        fmt.echo_info(f"Stage {only}: state lock {lock_id} released.")

    def validate(self, only: t.Optional[str]) -> None:
        """``init -backend=false`` (providers from EKS_TF_PLUGIN_MIRROR) and ``validate``:
        no state, no AWS call."""
        for name in stages.selected(self.config, only):
            source.stack(self.source, name)
            kind = str(self.config.get("EKS_STATE_BACKEND", "s3"))
            path = workdir.prepare(self.root, self.source, name, backends.Backend(kind, {}))
            workdir.write_tfvars(path, variables.for_stage(path, self.config))
            terraform = Terraform(path, name, self.binary)
            fmt.echo_info(f"Stage {name}: terraform init -backend=false, terraform validate")
            terraform.init(None, tools.provider_mirror())
            click.echo(terraform.validate().out.strip())

    # -- safety and config -------------------------------------------------------
    def check_protection(self, force_protected: bool, from_outputs: bool) -> None:
        """Refuse to destroy a production deployment unless --force-protected.

        The config is checked first (no terraform, no credentials needed); then the
        stage-1 output ``profile``, which tells what the stack was applied with even
        when config.yml has changed since.
        """
        if force_protected:
            return
        reasons = []
        if not from_outputs:
            if self.config.get("EKS_PROFILE") == "production":
                reasons.append("EKS_PROFILE is 'production'")
        elif source.has_stack(self.source, stages.AWS):
            applied = (self.stage1_outputs().get("profile") or {}).get("value")
            if applied == "production":
                reasons.append("the stage-1 output profile is 'production'")
        if reasons:
            raise exceptions.TutorError(
                f"Deletion protection is on ({'; '.join(reasons)}): nothing was destroyed. "
                "Add --force-protected to destroy anyway; AWS-side protection (RDS, "
                "DocumentDB) must also be off: `tutor config save --set "
                "EKS_PROFILE=small` and `tutor eks infra apply` first."
            )

    def stage_without_inputs_is_empty(self, name: str) -> bool:
        # `state list` does not evaluate variables, so it runs without stage-1 inputs.
        return not self.stage(name).state_resources()

    def sync_config(self) -> None:
        outputs = self.stage1_outputs()
        if not outputs:
            fmt.echo_info("No stage-1 outputs yet: the Tutor config was not changed.")
            return
        contract.check_name(outputs, self.config)
        region = (outputs.get("region") or {}).get("value") or self.config["EKS_AWS_REGION"]
        declared = variables.declared(workdir.stage_dir(self.root, stages.AWS), "output")
        from . import secret_refs  # EKS_SECRETS_SOURCE: references or values (docs/secrets.md)

        user = tutor_config.load_minimal(self.root)
        by_reference = secret_refs.source(user) == secret_refs.secrets.SECRETSMANAGER
        mapped = contract.to_tutor(
            outputs, declared, SecretReader(str(region)), fetch_secrets=not by_reference
        )
        if by_reference:
            mapped.values.update(secret_refs.references(outputs, user))
        else:
            mapped.values.update(secret_refs.fetched_extras(mapped.values, user))
        if mapped.missing:
            fmt.echo_alert(
                "The stage-1 stack does not publish these contract outputs (their Tutor "
                f"keys are left unchanged): {', '.join(mapped.missing)}"
            )
        config_sync.check_fetched(self.root, mapped.values, contract.origins(outputs))
        changed = config_sync.write(self.root, mapped.values)
        if changed:
            fmt.echo_info("Tutor config updated from the stage-1 outputs:")
            for line in config_sync.summary(changed):
                fmt.echo_info(f"    {line}")
        else:
            fmt.echo_info("Tutor config already matches the stage-1 outputs.")
        if by_reference and (notice := secret_refs.unmoved_notice(mapped.values, user)):
            fmt.echo_alert(notice)
        if notice := secret_refs.app_password_notice(mapped.values, user):
            fmt.echo_alert(notice)


_NO_UPSTREAM = (
    "Stage cluster takes its inputs from the stage-1 outputs, and stage aws has none "
    "yet: run `tutor eks infra apply --stage aws` first."
)


def masked(outputs: Outputs) -> list[str]:
    """One line per output; values marked sensitive are never shown."""
    lines = []
    for name in sorted(outputs):
        item = outputs[name]
        shown = "(sensitive)" if item.get("sensitive") else json.dumps(item.get("value"))
        lines.append(f"{name} = {shown}")
    return lines
