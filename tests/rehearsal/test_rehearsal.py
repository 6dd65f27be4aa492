"""Dress rehearsal: the real stage-1 stack applied and destroyed through `tutor eks infra`
against moto in server mode (the chain a user runs, with AWS replaced by a local
emulator on 127.0.0.1).

1. moto starts on a free port (tests/rehearsal/moto_process.py) with
   MOTO_IAM_LOAD_MANAGED_POLICIES=true and MOTO_ACM_VALIDATION_WAIT=1; `tutor` and
   through it Terraform's AWS provider and boto3 reach it through environment
   variables only (AWS_ENDPOINT_URL, dummy keys, AWS_EC2_METADATA_DISABLED=true,
   AWS_MAX_ATTEMPTS=2 so an unimplemented call fails fast).
2. A fresh Tutor root (profile small, local state, your own MongoDB, OpenSearch off)
   runs `tutor eks infra init` and `tutor eks infra apply --stage aws` on a COPY of
   terraform/ (stacks + modules) to which the override files of
   tests/rehearsal/terraform/ are added.
3. config.yml holds, for every entry of the outputs contract
   (tutor_eks_plugin/infra/contract.py), the value moto holds, read back through
   boto3; for the secrets (EKS_SECRETS_SOURCE=secretsmanager, the first sync's
   choice) a placeholder and a reference to the secret moto holds, and none of their
   values; no secret stored in moto is printed.
4. `tutor eks check` passes on that root.
5. `tutor eks infra destroy --stage aws` (answering the confirmation) leaves an empty
   state and nothing in moto for the services boto3 lists.

Pieces set aside, because moto 5.2.5 lacks the API (each in a `rehearsal_override.tf`
of the copied module; nothing of this is in the shipped modules):

- modules/eks: the EKS add-ons and `aws_eks_addon_version` (no add-on API), the Pod
  Identity associations (no API), the module's `settings` output (DescribeCluster
  returns no accessConfig/upgradePolicy, which it indexes; only module tests read it);
  `cluster_security_group_id` points at a stand-in security group of the same VPC
  (DescribeCluster names no clusterSecurityGroupId). Access entries (no API either)
  are not set aside: the rehearsal leaves `cluster_admin_arns` at its default, empty,
  so none is created.
- modules/observability, backup: the Pod Identity associations (no API);
  backup: the two `aws_backup_selection`s (no API) and the module's `settings`
  output that reads them.
- modules/edge: the CloudFront cache, origin-request and response-headers policies
  (no API; the data sources of the managed ones too): the behaviours name AWS's
  managed policies by their published ids instead.
- modules/redis: the cache subnet group (moto cannot delete one) and the module's
  `settings` output that reads it; stand-in member clusters (moto's replication
  group names "<id>-001" but never creates it, and the provider reads it).
- modules/storage: the EFS backup policy (no API) and file-system policy (moto cannot
  delete it), and the module's `settings` output that reads the backup policy.
- modules/search: detailed monitoring of the Meilisearch instance (no MonitorInstances).
- DocumentDB (moto has no API) and OpenSearch (its waiter idles ~10 min each way) are
  not set aside but switched off the way a user does: EKS_MONGODB_MODE=byo and no
  OpenSearch search setting.

Besides, moto never completes the deletion of an ElastiCache replication group or cache
cluster (it keeps them "deleting"); moto_process.py removes them a second later, as
ElastiCache does, so that the provider's delete waiter returns.

Time budget: under 6 minutes on 2 cores (measured figures are printed; run with -s).
"""

from __future__ import annotations

import json
import shutil
import time
import typing as t
from pathlib import Path

import boto3
import pytest
import yaml
from tutor_cli import run_tutor, set_args

from tutor_eks_plugin.infra import contract
from tutor_eks_plugin.settings import secrets as secrets_settings

from .moto_process import moto_process

pytestmark = pytest.mark.rehearsal

REPO = Path(__file__).resolve().parents[2]
OVERRIDES = Path(__file__).parent / "terraform"
NAME = "rehearsal"
REGION = "us-east-1"
TRACEBACK = "Traceback (most recent call last)"
MOTO_ENV = {"MOTO_IAM_LOAD_MANAGED_POLICIES": "true", "MOTO_ACM_VALIDATION_WAIT": "1"}
SETTINGS = {
    "EKS_NAME": NAME,
    "EKS_AWS_REGION": REGION,
    "EKS_PROFILE": "small",
    "EKS_STATE_BACKEND": "local",
    "EKS_MONGODB_MODE": "byo",
    "MONGODB_HOST": "mongo.example.net",
    # Real data-store hosts need the RDS CA bundle for TLS: name an (assumed) existing
    # ConfigMap, as an operator would.
    "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca-bundle",
}


def terraform_copy(dest: Path) -> Path:
    """terraform/ (stacks + modules) plus the rehearsal's override files."""
    shutil.copytree(
        REPO / "terraform",
        dest,
        ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*", "tests"),
    )
    added = 0
    for path in OVERRIDES.rglob("*.tf"):
        target = dest / path.relative_to(OVERRIDES)
        assert target.parent.is_dir(), f"{target.parent} is gone from terraform/: update {path}"
        shutil.copyfile(path, target)
        added += 1
    assert added, f"no override files under {OVERRIDES}"
    return dest


class Run:
    """The rehearsal's Tutor root, its environment and everything it printed."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env, self.printed = root, env, []
        self.seconds: dict[str, float] = {}

    def tutor(self, *args: str, stdin: t.Optional[str] = None, label: str = "") -> str:
        start = time.monotonic()
        result = run_tutor(self.root, *args, check=False, stdin=stdin, env=self.env)
        if label:
            self.seconds[label] = time.monotonic() - start
        text = result.stdout + result.stderr
        self.printed.append(text)
        assert TRACEBACK not in text, text[-5000:]
        assert result.returncode == 0, f"tutor {' '.join(args)} failed:\n{text[-8000:]}"
        return result.stdout

    def config(self) -> dict[str, t.Any]:
        return yaml.safe_load((self.root / "config.yml").read_text())

    def state(self) -> dict[str, t.Any]:
        path = self.root / "eks-infra" / "state" / "aws.tfstate"
        return json.loads(path.read_text())


def client(service: str, endpoint: str, region: str = REGION) -> t.Any:
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 (moto's dummy credentials)
    )


def moto_view(endpoint: str, outputs: dict[str, t.Any]) -> dict[str, t.Any]:
    """What moto holds for each contract output, read through boto3 (not the state).

    Keyed by output name; an output the stack left null (a store switched off) maps to
    None. A contract entry this function cannot read fails the test: teach it.
    """
    rds = client("rds", endpoint).describe_db_instances(DBInstanceIdentifier=f"{NAME}-mysql")
    db = rds["DBInstances"][0]
    groups = client("elasticache", endpoint).describe_replication_groups(
        ReplicationGroupId=f"{NAME}-redis"
    )["ReplicationGroups"]
    primary = groups[0]["NodeGroups"][0]["PrimaryEndpoint"]
    ec2 = client("ec2", endpoint)
    meili = ec2.describe_instances(
        Filters=[
            {"Name": "tag:Name", "Values": [f"{NAME}-meilisearch"]},
            {"Name": "instance-state-name", "Values": ["running", "pending"]},
        ]
    )["Reservations"][0]["Instances"][0]
    efs = client("efs", endpoint)
    file_systems = efs.describe_file_systems()["FileSystems"]
    assert len(file_systems) == 1, file_systems
    access_points = efs.describe_access_points(FileSystemId=file_systems[0]["FileSystemId"])
    media_role = outputs["media_role_arn"].rsplit("/", 1)[-1]
    distributions = client("cloudfront", endpoint).list_distributions()["DistributionList"]
    topics = [
        topic["TopicArn"]
        for topic in client("sns", endpoint).list_topics()["Topics"]
        if topic["TopicArn"].endswith(f":{NAME}-alerts")
    ]
    return {
        "region": client("ec2", endpoint).meta.region_name,
        "cluster_name": client("eks", endpoint).describe_cluster(name=NAME)["cluster"]["name"],
        "mysql_host": db["Endpoint"]["Address"],
        "mysql_port": db["Endpoint"]["Port"],
        "mysql_admin_username": db["MasterUsername"],
        "mysql_admin_secret_arn": db["MasterUserSecret"]["SecretArn"],
        "mongodb_host": None,
        "mongodb_port": None,
        "mongodb_admin_username": None,
        "mongodb_admin_secret_arn": None,
        "redis_host": primary["Address"],
        "redis_port": primary["Port"],
        "redis_auth_secret_arn": secret_arn(endpoint, outputs["redis_auth_secret_arn"]),
        "meilisearch_url": f"http://{meili['PrivateIpAddress']}:7700",
        "meilisearch_master_key_secret_arn": secret_arn(
            endpoint, outputs["meilisearch_master_key_secret_arn"]
        ),
        "mysql_app_secret_arn": secret_arn(endpoint, outputs["mysql_app_secret_arn"]),
        "opensearch_endpoint": None,
        "efs_file_system_id": file_systems[0]["FileSystemId"],
        "efs_access_point_id": access_points["AccessPoints"][0]["AccessPointId"],
        "media_bucket_name": None,
        "media_role_arn": client("iam", endpoint).get_role(RoleName=media_role)["Role"]["Arn"],
        "cloudfront_domain_name": [d["DomainName"] for d in distributions["Items"]][0],
        "alerts_topic_arn": topics[0],
    }


def secret_arn(endpoint: str, arn: str) -> str:
    """The ARN of the secret moto holds under this id (fails if it holds none)."""
    return client("secretsmanager", endpoint).describe_secret(SecretId=arn)["ARN"]


def secret_value(endpoint: str, arn: str) -> str:
    return client("secretsmanager", endpoint).get_secret_value(SecretId=arn)["SecretString"]


def expected_tutor_value(entry: contract.Entry, moto_value: t.Any, endpoint: str) -> t.Any:
    """The value config.yml must hold for a contract entry, from what moto holds."""
    if entry.kind == contract.PLAIN:
        return moto_value
    if entry.kind == contract.PORT:
        return int(moto_value)
    if entry.kind == contract.FETCHED_JSON:
        return json.loads(secret_value(endpoint, moto_value))["password"]
    if entry.kind == contract.FETCHED_STRING:
        return secret_value(endpoint, moto_value)
    raise AssertionError(
        f"contract entry {entry.output} -> {entry.key} has kind {entry.kind!r}, which the "
        "rehearsal does not know: add how its Tutor value follows from what moto holds."
    )


def every_secret(endpoint: str) -> dict[str, str]:
    """Every secret value stored in moto (and each JSON document's fields)."""
    sm = client("secretsmanager", endpoint)
    found: dict[str, str] = {}
    for item in sm.list_secrets()["SecretList"]:
        text = sm.get_secret_value(SecretId=item["ARN"])["SecretString"]
        found[item["Name"]] = text
        try:
            document = json.loads(text)
        except ValueError:
            continue
        if isinstance(document, dict) and document.get("password"):
            found[item["Name"] + "#password"] = str(document["password"])
    return found


def leftovers(endpoint: str) -> dict[str, list[str]]:
    """Resources moto still holds, per service boto3 can list (defaults excluded)."""
    ec2, found = client("ec2", endpoint), {}
    vpcs = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
    in_vpcs = [{"Name": "vpc-id", "Values": vpcs}] if vpcs else None
    found["ec2 vpcs"] = vpcs
    if in_vpcs:
        found["ec2 subnets"] = [s["SubnetId"] for s in ec2.describe_subnets(Filters=in_vpcs)["Subnets"]]
        found["ec2 security groups"] = [
            g["GroupId"]
            for g in ec2.describe_security_groups(Filters=in_vpcs)["SecurityGroups"]
            if g["GroupName"] != "default"
        ]
    found["ec2 instances"] = [
        i["InstanceId"]
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] not in ("terminated", "shutting-down")
    ]
    found["ec2 volumes"] = [v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]]
    found["ec2 nat gateways"] = [
        n["NatGatewayId"]
        for n in ec2.describe_nat_gateways()["NatGateways"]
        if n["State"] not in ("deleted", "deleting")
    ]
    found["ec2 elastic ips"] = [a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]]
    found["ec2 flow logs"] = [f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]]
    found["ec2 launch templates"] = [
        lt["LaunchTemplateName"] for lt in ec2.describe_launch_templates()["LaunchTemplates"]
    ]
    found["eks clusters"] = client("eks", endpoint).list_clusters()["clusters"]
    rds = client("rds", endpoint)
    found["rds instances"] = [d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]]
    found["rds subnet groups"] = [g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]]
    found["rds parameter groups"] = [
        g["DBParameterGroupName"]
        for g in rds.describe_db_parameter_groups()["DBParameterGroups"]
        if not g["DBParameterGroupName"].startswith("default.")
    ]
    cache = client("elasticache", endpoint)
    found["elasticache replication groups"] = [
        g["ReplicationGroupId"] for g in cache.describe_replication_groups()["ReplicationGroups"]
    ]
    found["elasticache clusters"] = [c["CacheClusterId"] for c in cache.describe_cache_clusters()["CacheClusters"]]
    efs = client("efs", endpoint)
    found["efs file systems"] = [f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]]
    found["s3 buckets"] = [b["Name"] for b in client("s3", endpoint).list_buckets()["Buckets"]]
    found["secretsmanager secrets"] = [
        s["Name"] for s in client("secretsmanager", endpoint).list_secrets()["SecretList"]
    ]
    kms = client("kms", endpoint)
    found["kms keys (not pending deletion)"] = [
        k["KeyId"]
        for k in kms.list_keys()["Keys"]
        if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion"
        and kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"].get("KeyManager") != "AWS"
    ]
    found["kms aliases"] = [
        a["AliasName"] for a in kms.list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")
    ]
    iam = client("iam", endpoint)
    found["iam roles"] = [r["RoleName"] for r in iam.list_roles()["Roles"] if not r["Path"].startswith("/aws-service-role/")]
    found["iam instance profiles"] = [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]]
    found["iam oidc providers"] = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    found["iam customer policies"] = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    found["cloudwatch log groups"] = [
        g["logGroupName"] for g in client("logs", endpoint).describe_log_groups()["logGroups"]
    ]
    found["cloudwatch alarms"] = [
        a["AlarmName"] for a in client("cloudwatch", endpoint).describe_alarms()["MetricAlarms"]
    ]
    sns = client("sns", endpoint)
    found["sns topics"] = [t_["TopicArn"] for t_ in sns.list_topics()["Topics"]]
    found["events rules"] = [r["Name"] for r in client("events", endpoint).list_rules()["Rules"]]
    elb = client("elbv2", endpoint)
    found["elbv2 load balancers"] = [lb["LoadBalancerName"] for lb in elb.describe_load_balancers()["LoadBalancers"]]
    found["elbv2 target groups"] = [g["TargetGroupName"] for g in elb.describe_target_groups()["TargetGroups"]]
    found["cloudfront distributions"] = [
        d["Id"] for d in client("cloudfront", endpoint).list_distributions()["DistributionList"].get("Items", [])
    ]
    waf = client("wafv2", endpoint)
    found["wafv2 web acls"] = [a["Name"] for a in waf.list_web_acls(Scope="CLOUDFRONT")["WebACLs"]]
    found["wafv2 regex pattern sets"] = [
        s["Name"] for s in waf.list_regex_pattern_sets(Scope="CLOUDFRONT")["RegexPatternSets"]
    ]
    found["acm certificates"] = [
        c["CertificateArn"] for c in client("acm", endpoint).list_certificates()["CertificateSummaryList"]
    ]
    backup = client("backup", endpoint)
    found["backup vaults"] = [v["BackupVaultName"] for v in backup.list_backup_vaults()["BackupVaultList"]]
    found["backup plans"] = [p["BackupPlanName"] for p in backup.list_backup_plans()["BackupPlansList"]]
    return {service: names for service, names in found.items() if names}


def test_stage1_applies_syncs_checks_and_destroys_on_moto(
    tmp_path: Path,
    terraform_bin: str,
    provider_mirror: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Nothing of the developer's own AWS or Terraform set-up leaks in.
    for variable in (
        "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN",
        "EKS_TERRAFORM", "TF_DATA_DIR", "TF_WORKSPACE",
    ):
        monkeypatch.delenv(variable, raising=False)
    source = terraform_copy(tmp_path / "terraform")
    with moto_process(MOTO_ENV, tmp_path / "moto.log") as endpoint:
        env = {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "2",
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
            "EKS_TERRAFORM_SOURCE": str(source),
            "EKS_TF_PLUGIN_MIRROR": provider_mirror,
        }
        run = Run(tmp_path / "root", env)
        run.tutor("plugins", "enable", "eks")
        run.tutor("config", "save", *set_args(SETTINGS))
        run.tutor("eks", "infra", "init", "--stage", "aws", label="init")
        run.tutor("eks", "infra", "apply", "--stage", "aws", label="apply")

        # 3. config.yml against moto, entry by entry of the contract.
        state = run.state()
        outputs = {name: item["value"] for name, item in state["outputs"].items()}
        config = run.config()
        config_text = (run.root / "config.yml").read_text()
        held = moto_view(endpoint, outputs)
        for entry in contract.ENTRIES:
            assert entry.output in held, (
                f"contract entry {entry.output} -> {entry.key}: the rehearsal does not read "
                "it from moto; add it to moto_view()"
            )
            if held[entry.output] is None:
                assert outputs.get(entry.output) is None, (entry.output, outputs.get(entry.output))
                assert config.get(entry.key) == SETTINGS.get(entry.key), entry.key
                continue
            assert outputs[entry.output] == held[entry.output], entry.output
            expected = expected_tutor_value(entry, held[entry.output], endpoint)
            if entry.secret:
                # The first sync chooses EKS_SECRETS_SOURCE=secretsmanager: config.yml holds
                # the placeholder and a reference to the secret moto holds, never its value.
                assert config["EKS_SECRETS_SOURCE"] == secrets_settings.SECRETSMANAGER
                assert config.get(entry.key) == secrets_settings.BY_KEY[entry.key].placeholder
                assert config["EKS_SECRETS_REFERENCES"][entry.key] == {
                    "secret": held[entry.output], "property": entry.secret_property,
                }, entry.key
                assert expected and expected not in config_text, f"{entry.key}: value in config.yml"
            else:
                assert config.get(entry.key) == expected, (entry.key, config.get(entry.key))
        assert config["REDIS_USERNAME"] == contract.REDIS_AUTH_USERNAME
        secrets = every_secret(endpoint)
        assert len(secrets) >= 4, sorted(secrets)

        # 4. The offline check passes with the real outputs.
        run.tutor("eks", "check", label="check")

        # The instance as applied, for the report: resources in the state, stand-ins apart.
        managed = [r for r in state["resources"] if r["mode"] == "managed"]
        instances = sum(len(r["instances"]) for r in managed)
        stand_ins = sum(len(r["instances"]) for r in managed if r["name"].startswith("rehearsal_"))

        # 5. Destroy, answering the confirmation with the instance name.
        run.tutor("eks", "infra", "destroy", "--stage", "aws", stdin=f"{NAME}\n", label="destroy")
        after = run.state()
        assert after["resources"] == [], [r["type"] + "." + r["name"] for r in after["resources"]]
        assert leftovers(endpoint) == {}

    printed = "\n".join(run.printed)
    leaked = {name for name, value in secrets.items() if len(value) >= 6 and value in printed}
    assert not leaked, f"secret values printed by tutor: {sorted(leaked)}"
    figures = ", ".join(f"{label} {seconds:.0f}s" for label, seconds in run.seconds.items())
    print(
        f"\nrehearsal: {instances - stand_ins} resources applied for real (+{stand_ins} "
        f"stand-ins); {figures}"
    )
