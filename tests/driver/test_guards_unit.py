"""The driver's guards, decision by decision (infra/driver.py, stages.py): a bad stage,
a missing backend setting, stage 2 without stage-1 outputs, a saved plan for two
stages, deletion protection, the typed instance name (the lock guards: test_locks_unit.py).

Fast enough to run once per mutant (scripts/mutation.sh). The end-to-end proofs (real
terraform on the fixture stacks, moto as a server, the `tutor` CLI) are in
test_lifecycle.py, test_failures.py, test_signals.py and test_s3_backend.py; here:

- `FakeTerraform` is a TEST DOUBLE for infra.terraform.Terraform (one per stage): it
  records the commands the driver asks for and returns what a terraform run would
  (plan exit codes, outputs, the resources in the state). Real terraform takes seconds
  per command, too slow to repeat for each of a few hundred mutants. The driver's own
  code (stage order, upstream check, protection, sync calls) runs unchanged; only
  `Driver.stage` (which prepares a working directory and runs `terraform init`) and
  `Driver.sync_config` (tested in test_config_sync_unit.py) are replaced on the instance.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from tutor import exceptions

from tutor_eks_plugin.infra import driver as driver_module
from tutor_eks_plugin.infra import stages
from tutor_eks_plugin.infra.terraform import Result

NO_UPSTREAM = "run `tutor eks infra apply --stage aws` first"


# ---- stages -------------------------------------------------------------------------


def test_selected_stages_in_apply_order() -> None:
    assert stages.selected({}) == ["aws", "cluster"]
    assert stages.selected({"EKS_INFRA_STAGES": ["cluster", "aws"]}) == ["aws", "cluster"]
    assert stages.selected({"EKS_INFRA_STAGES": ["cluster"]}) == ["cluster"]
    assert stages.selected({"EKS_INFRA_STAGES": []}) == []
    assert stages.selected({"EKS_INFRA_STAGES": ["aws"]}, "cluster") == ["cluster"]
    assert stages.selected({}, "aws") == ["aws"]
    assert stages.reverse(["aws", "cluster"]) == ["cluster", "aws"]


@pytest.mark.parametrize("bad", ["eks", "", "AWS"])
def test_unknown_stage_is_refused(bad: str) -> None:
    with pytest.raises(exceptions.TutorError) as error:
        stages.selected({}, bad)
    assert str(error.value) == f"Unknown stage {bad!r}: use one of aws, cluster."


# ---- driver -------------------------------------------------------------------------


class FakeTerraform:
    """Stands for infra.terraform.Terraform of one stage (see the module docstring)."""

    def __init__(self, name: str, log: list[tuple[str, ...]]) -> None:
        self.name = name
        self.log = log
        self.plan_code = 0
        self.outputs_value: dict[str, dict[str, t.Any]] = {}
        self.resources: list[str] = []

    def plan(self, out: t.Optional[str] = None) -> Result:
        self.log.append(("plan", self.name, out or ""))
        return Result(self.plan_code, "", "")

    def apply(self, plan_file: t.Optional[str] = None) -> Result:
        self.log.append(("apply", self.name, plan_file or ""))
        return Result(0, "", "")

    def destroy(self) -> Result:
        self.log.append(("destroy", self.name))
        return Result(0, "", "")

    def force_unlock(self, lock_id: str) -> Result:
        self.log.append(("force_unlock", self.name, lock_id))
        return Result(0, "", "")

    def outputs(self) -> dict[str, dict[str, t.Any]]:
        self.log.append(("outputs", self.name))
        return self.outputs_value

    def state_resources(self) -> list[str]:
        self.log.append(("state_resources", self.name))
        return self.resources


class Run:
    """A Driver whose stages are FakeTerraforms, and what it did."""

    def __init__(self, tmp_path: Path, **config: t.Any) -> None:
        source = tmp_path / "source"
        for name in ("aws", "cluster"):
            (source / "stacks" / name).mkdir(parents=True)
            (source / "stacks" / name / "main.tf").write_text("")
        self.log: list[tuple[str, ...]] = []
        self.fakes = {name: FakeTerraform(name, self.log) for name in ("aws", "cluster")}
        d = driver_module.Driver.__new__(driver_module.Driver)
        d.root = str(tmp_path)
        d.source = source
        d.config = {
            "EKS_NAME": "openedx",
            "EKS_STATE_BACKEND": "s3",
            "EKS_STATE_BUCKET": "state",
            "EKS_AWS_REGION": "us-east-1",
            "EKS_ROUTE53_ZONE_ID": "Z0123456789",  # no DNS watcher thread
            **config,
        }
        d._binary = "terraform"
        d._ready = {}
        d._outputs = {}
        d._warned_local = False

        def stage(name: str, stream_init: bool = False, **init: t.Any) -> FakeTerraform:
            self.log.append(("stage", name))
            return self.fakes[name]

        d.stage = stage  # type: ignore[method-assign]
        d.sync_config = lambda: self.log.append(("sync",))  # type: ignore[method-assign]
        self.driver = d

    def applied(self, outputs: t.Optional[dict[str, t.Any]] = None) -> Run:
        self.fakes["aws"].outputs_value = outputs or {"name": {"value": "openedx"}}
        return self

    def commands(self) -> list[tuple[str, ...]]:
        return [entry for entry in self.log if entry[0] not in ("stage", "outputs")]


def refused(call: t.Callable[[], t.Any]) -> str:
    with pytest.raises(exceptions.TutorError) as error:
        call()
    return str(error.value)


def test_missing_bucket_stops_before_any_stage(tmp_path: Path) -> None:
    calls: dict[str, tuple[t.Any, ...]] = {
        "plan": (None, None), "apply": (None, None), "output": (None,),
        "init": (None, False, False),
    }
    for name, args in calls.items():
        run = Run(tmp_path / name, EKS_STATE_BUCKET="")
        method = getattr(run.driver, name)
        assert "EKS_STATE_BUCKET is empty" in refused(lambda m=method, a=args: m(*a))
        assert run.log == []
    run = Run(tmp_path / "destroy", EKS_STATE_BUCKET="")
    assert "EKS_STATE_BUCKET is empty" in refused(
        lambda: run.driver.destroy(None, True, True, lambda: ""))
    run = Run(tmp_path / "unlock", EKS_STATE_BUCKET="")
    assert "EKS_STATE_BUCKET is empty" in refused(lambda: run.driver.unlock("aws", "L"))
    assert run.log == []


def test_local_backend_warns_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(tmp_path, EKS_STATE_BACKEND="local")
    run.driver.check_backends(["aws", "cluster"])
    assert capsys.readouterr().err.count("EKS_STATE_BACKEND=local") == 1


def test_plan_both_stages_codes(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    run.fakes["cluster"].plan_code = 2
    assert run.driver.plan(None, None) == 2
    assert run.commands() == [("plan", "aws", ""), ("plan", "cluster", "")]
    run = Run(tmp_path / "b").applied()
    run.fakes["aws"].plan_code = 2
    assert run.driver.plan(None, None) == 2
    run = Run(tmp_path / "c").applied()
    assert run.driver.plan(None, None) == 0


def test_plan_without_stage1_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(tmp_path)  # stage 1 has no outputs: never applied
    assert run.driver.plan(None, None) == 2
    assert run.commands() == [("plan", "aws", "")]
    assert "Stage cluster: not planned yet. Stage cluster takes" in capsys.readouterr().err
    assert NO_UPSTREAM in refused(lambda: Run(tmp_path / "b").driver.plan("cluster", None))


def test_plan_out_needs_one_stage(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    message = refused(lambda: run.driver.plan(None, "plan.bin"))
    assert message == "--out saves the plan of one stage: add --stage aws or --stage cluster."
    assert run.log == []
    run.driver.plan("aws", str(tmp_path / "plan.bin"))
    assert run.commands() == [("plan", "aws", str((tmp_path / "plan.bin").resolve()))]


def test_apply_syncs_after_stage1_then_runs_stage2(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    run.driver.apply(None, None)
    assert run.commands() == [("apply", "aws", ""), ("sync",), ("apply", "cluster", "")]
    run = Run(tmp_path / "b").applied()
    run.driver.apply("cluster", None)
    assert run.commands() == [("apply", "cluster", ""), ("sync",)]


def test_apply_forgets_the_outputs_of_the_applied_stage(tmp_path: Path) -> None:
    run = Run(tmp_path).applied({"name": {"value": "before"}})
    assert run.driver.stage1_outputs() == {"name": {"value": "before"}}
    run.fakes["aws"].outputs_value = {"name": {"value": "after"}}
    run.driver.apply("aws", None)
    assert run.driver.stage1_outputs() == {"name": {"value": "after"}}


def test_apply_stage2_without_stage1_is_refused(tmp_path: Path) -> None:
    run = Run(tmp_path)
    assert NO_UPSTREAM in refused(lambda: run.driver.apply("cluster", None))
    assert run.commands() == []
    run = Run(tmp_path / "b")
    assert NO_UPSTREAM in refused(lambda: run.driver.apply(None, None))
    # Stage 1 ran and its outputs were synced before stage 2 was refused.
    assert run.commands() == [("apply", "aws", ""), ("sync",)]


def test_apply_saved_plan(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    plan = tmp_path / "aws.plan"
    message = refused(lambda: run.driver.apply(None, str(plan)))
    assert message == "A saved plan belongs to one stage: add --stage aws or --stage cluster."
    assert refused(lambda: run.driver.apply("aws", str(plan))) == (
        f"Plan file {plan} does not exist."
    )
    assert run.commands() == []
    plan.write_text("plan")
    run.driver.apply("aws", str(plan))
    assert run.commands() == [("apply", "aws", str(plan.resolve())), ("sync",)]


def test_output_prints_masked_and_syncs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(tmp_path).applied({"b": {"value": "x"}, "a": {"value": "s3cr3t", "sensitive": True}})
    run.driver.output("aws")
    assert capsys.readouterr().out == '# stage aws\na = (sensitive)\nb = "x"\n'
    assert run.commands() == [("sync",)]


def test_destroy_reverse_order_after_the_typed_name(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    run.driver.destroy(None, False, False, lambda: "openedx")
    assert run.commands() == [("destroy", "cluster"), ("destroy", "aws")]
    run = Run(tmp_path / "b").applied()
    assert refused(lambda: run.driver.destroy(None, False, False, lambda: "other")) == (
        "Destroy cancelled: the name typed is not the instance name ('openedx')."
    )
    assert run.commands() == []
    run = Run(tmp_path / "c").applied()
    run.driver.destroy("aws", True, False, lambda: pytest.fail("asked despite --yes"))
    assert run.commands() == [("destroy", "aws")]


def test_destroy_refuses_production(tmp_path: Path) -> None:
    run = Run(tmp_path, EKS_PROFILE="production").applied()
    message = refused(lambda: run.driver.destroy(None, True, False, lambda: "openedx"))
    assert message.startswith(
        "Deletion protection is on (EKS_PROFILE is 'production'): nothing was destroyed."
    )
    # The config alone refuses: no terraform (not even for the outputs).
    assert run.log == []
    run = Run(tmp_path / "b").applied({"profile": {"value": "production"}})
    message = refused(lambda: run.driver.destroy(None, True, False, lambda: "openedx"))
    assert "(the stage-1 output profile is 'production')" in message
    assert run.commands() == []
    run = Run(tmp_path / "c", EKS_PROFILE="production").applied(
        {"profile": {"value": "production"}})
    run.driver.destroy(None, True, True, lambda: "openedx")
    assert run.commands() == [("destroy", "cluster"), ("destroy", "aws")]
    run = Run(tmp_path / "d").applied({"profile": {"value": "small"}})
    run.driver.destroy(None, True, False, lambda: "openedx")
    assert run.commands() == [("destroy", "cluster"), ("destroy", "aws")]


def test_destroy_without_stage1_outputs(tmp_path: Path) -> None:
    run = Run(tmp_path)
    run.driver.destroy(None, True, False, lambda: "openedx")
    # Stage 2's state is empty: nothing to destroy there; stage 1 runs.
    assert run.commands() == [("state_resources", "cluster"), ("destroy", "aws")]
    run = Run(tmp_path / "b")
    run.fakes["cluster"].resources = ["helm_release.x"]
    assert NO_UPSTREAM in refused(lambda: run.driver.destroy(None, True, False, lambda: "x"))
    assert run.commands() == [("state_resources", "cluster")]


def test_unlock(tmp_path: Path) -> None:
    run = Run(tmp_path)
    assert NO_UPSTREAM in refused(lambda: run.driver.unlock("cluster", "L-1"))
    assert run.commands() == []
    run.driver.unlock("aws", "L-1")
    assert run.commands() == [("force_unlock", "aws", "L-1")]
    run = Run(tmp_path / "b").applied()
    run.driver.unlock("cluster", "L-2")
    assert run.commands() == [("force_unlock", "cluster", "L-2")]


def test_stage1_outputs_without_a_stack(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    (run.driver.source / "stacks" / "aws" / "main.tf").unlink()
    assert run.driver.stage1_outputs() == {}
    assert run.log == []


def test_outputs_are_read_once(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    run.driver.outputs("aws")
    run.driver.outputs("aws")
    assert run.log.count(("outputs", "aws")) == 1


def test_masked() -> None:
    assert driver_module.masked({"z": {"value": [1]}, "k": {"value": "v", "sensitive": True},
                                 "n": {"value": None, "sensitive": False}}) == [
        "k = (sensitive)", "n = null", "z = [1]"
    ]
