"""Backup fixtures: moto on 127.0.0.1 with the deployment's stores, Stubber-backed
clients for what moto lacks, a real MariaDB with TLS, and Tutor roots made by the CLI.

What stands in for what:
- moto (server mode, 127.0.0.1) is AWS for RDS, EFS, EC2/EBS, S3 and STS: the real
  boto3 clients talk HTTP to it.
- botocore's Stubber stands in for AWS Backup (moto has no selections, jobs, recovery
  points or restore jobs) and DocumentDB (moto has none): it checks every request
  against the real service model, and the tests queue the responses AWS documents.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import boto3
import pytest
from backup_names import MYSQL_PASSWORD, NAME, REGION
from botocore.stub import Stubber
from datastore_pki import Pki, make_pki
from datastore_roots import render_root
from datastore_servers import MariaDbServer, start_mariadb, stop
from moto_server import moto_server


@pytest.fixture(scope="session")
def moto_endpoint() -> t.Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def session() -> boto3.session.Session:
    return boto3.session.Session(
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 (moto's dummy credentials)
    )


class Clients:
    """A ClientFactory: moto clients, except the services given as stubbed clients."""

    def __init__(self, session: boto3.session.Session, endpoint: str) -> None:
        self.session = session
        self.endpoint = endpoint
        self.cache: dict[str, t.Any] = {}
        self.stubbers: dict[str, Stubber] = {}

    def stub(self, service: str) -> Stubber:
        """A stubbed client for `service` (no endpoint is ever reached)."""
        client = self.session.client(service, endpoint_url="http://127.0.0.1:9")
        stubber = Stubber(client)
        stubber.activate()
        self.cache[service] = client
        self.stubbers[service] = stubber
        return stubber

    def __call__(self, service: str) -> t.Any:
        if service not in self.cache:
            self.cache[service] = self.session.client(service, endpoint_url=self.endpoint)
        return self.cache[service]

    def verify(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


@pytest.fixture
def clients(session: boto3.session.Session, moto_endpoint: str) -> t.Iterator[Clients]:
    made = Clients(session, moto_endpoint)
    yield made
    for stubber in made.stubbers.values():
        stubber.deactivate()


@pytest.fixture(scope="session")
def deployment(session: boto3.session.Session, moto_endpoint: str) -> dict[str, t.Any]:
    """The stores the stack creates, made in moto with the stack's names."""
    rds = session.client("rds", endpoint_url=moto_endpoint)
    ec2 = session.client("ec2", endpoint_url=moto_endpoint)
    efs = session.client("efs", endpoint_url=moto_endpoint)
    s3 = session.client("s3", endpoint_url=moto_endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("ab")
    ]
    group = ec2.create_security_group(GroupName="demo-data", Description="data", VpcId=vpc)[
        "GroupId"
    ]
    rds.create_db_subnet_group(
        DBSubnetGroupName="demo-mysql-sub", DBSubnetGroupDescription="d", SubnetIds=subnets
    )
    instance = rds.create_db_instance(
        DBInstanceIdentifier=f"{NAME}-mysql",
        DBInstanceClass="db.t4g.medium",
        Engine="mysql",
        EngineVersion="8.4.3",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password-1",  # noqa: S106 (moto only)
        DBSubnetGroupName="demo-mysql-sub",
        VpcSecurityGroupIds=[group],
        BackupRetentionPeriod=7,
        StorageEncrypted=True,
    )["DBInstance"]
    snapshot = rds.create_db_snapshot(
        DBInstanceIdentifier=f"{NAME}-mysql", DBSnapshotIdentifier="awsbackup-job-0001"
    )["DBSnapshot"]
    fs = efs.create_file_system(CreationToken="demo-media", Encrypted=True)
    mount = efs.create_mount_target(
        FileSystemId=fs["FileSystemId"], SubnetId=subnets[0], SecurityGroups=[group]
    )
    point = efs.create_access_point(
        FileSystemId=fs["FileSystemId"],
        PosixUser={"Uid": 1000, "Gid": 1000},
        RootDirectory={
            "Path": "/openedx",
            "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "0755"},
        },
    )
    volume = ec2.create_volume(
        AvailabilityZone=f"{REGION}a",
        Size=20,
        VolumeType="gp3",
        Encrypted=True,
        TagSpecifications=[
            {"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": f"{NAME}-meilisearch-data"}]}
        ],
    )
    ebs_snapshot = ec2.create_snapshot(VolumeId=volume["VolumeId"])
    account = session.client("sts", endpoint_url=moto_endpoint).get_caller_identity()["Account"]
    bucket = f"{NAME}-backups-{account}-{REGION}"
    s3.create_bucket(Bucket=bucket)
    return {
        "account": account,
        "bucket": bucket,
        "mysql_arn": instance["DBInstanceArn"],
        "mysql_snapshot_arn": snapshot["DBSnapshotArn"],
        "efs_id": fs["FileSystemId"],
        "efs_arn": fs["FileSystemArn"],
        "efs_mount_target": mount["MountTargetId"],
        "efs_access_point": point["AccessPointId"],
        "volume_id": volume["VolumeId"],
        "volume_arn": f"arn:aws:ec2:{REGION}:{account}:volume/{volume['VolumeId']}",
        "ebs_snapshot_arn": f"arn:aws:ec2:{REGION}::snapshot/{ebs_snapshot['SnapshotId']}",
        "subnets": subnets,
        "security_group": group,
    }


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> t.Iterator[MariaDbServer]:
    server = start_mariadb(
        tmp_path_factory.mktemp("mariadb"), pki, "openedx", "openedx", MYSQL_PASSWORD
    )
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def tutor_root(
    tmp_path_factory: pytest.TempPathFactory, deployment: dict[str, t.Any], pki: Pki
) -> Path:
    """A Tutor root as `tutor eks infra apply` leaves it, pointing at the moto stores."""
    return render_root(
        tmp_path_factory.mktemp("tutor-backup"),
        {
            "EKS_NAME": NAME,
            "EKS_AWS_REGION": REGION,
            "EKS_CA_BUNDLE_PATH": str(pki.ca),
            "EKS_EFS_FILE_SYSTEM_ID": deployment["efs_id"],
            "EKS_EFS_ACCESS_POINT_ID": deployment["efs_access_point"],
            "EKS_MONGODB_MODE": "byo",
            "MYSQL_HOST": "demo-mysql.abc.us-east-1.rds.amazonaws.com",
            "OPENEDX_MYSQL_PASSWORD": MYSQL_PASSWORD,
            "MONGODB_HOST": "mongo.example.net",
        },
    )
