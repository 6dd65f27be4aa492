"""The deployment's stores, found through the AWS APIs from the names the stack gives.

The stack names every resource after EKS_NAME (terraform/stacks/aws): the RDS instance
`<name>-mysql`, the DocumentDB cluster `<name>-docdb`, the Meilisearch data volume
tagged `Name=<name>-meilisearch-data`, the vault `<name>`, the plans `<name>-daily`
and `<name>-pitr`, the dumps bucket `<name>-backups-<account>-<region>`. The EFS file
system comes from EKS_EFS_FILE_SYSTEM_ID (written by `tutor eks infra apply`).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

# Store name -> what it is. The order is the order of every listing.
STORES: dict[str, str] = {
    "mysql": "RDS MySQL instance",
    "mongodb": "DocumentDB cluster",
    "media": "EFS file system (media)",
    "search": "Meilisearch EBS data volume",
}
# Stores with a point-in-time restore (continuous backup / cluster PITR).
POINT_IN_TIME = ("mysql", "mongodb")


class BackupError(Exception):
    """A problem the operator can fix; the message says what and how (one line)."""


class ClientFactory(t.Protocol):
    def __call__(self, service: str) -> t.Any: ...


def boto3_factory(region: str) -> ClientFactory:
    import boto3  # heavy: only when a backup command runs

    session = boto3.session.Session(region_name=region)
    cache: dict[str, t.Any] = {}

    def client(service: str) -> t.Any:
        if service not in cache:
            cache[service] = session.client(service)
        return cache[service]

    return client


@dataclass
class Store:
    name: str
    arn: str
    identifier: str  # instance / cluster identifier, file system id or volume id
    details: dict[str, t.Any] = field(default_factory=dict)


def bucket_name(name: str, account: str, region: str) -> str:
    """The dumps bucket (terraform/modules/backup/dumps.tf builds the same name)."""
    return f"{name}-backups-{account}-{region}"


def vault_name(config: dict[str, t.Any]) -> str:
    return str(config["EKS_NAME"])


def unknown_store(value: str) -> BackupError:
    return BackupError(
        f"store {value!r} does not exist: use one of {', '.join(STORES)} (or 'all')."
    )


def selected(value: str) -> list[str]:
    """`all` or one store name, checked."""
    if value == "all":
        return list(STORES)
    if value not in STORES:
        raise unknown_store(value)
    return [value]


def selected_for(config: dict[str, t.Any], value: str) -> list[str]:
    """Like `selected`, but 'all' leaves out MongoDB when it is brought from outside."""
    names = selected(value)
    if value == "all" and _mongodb_external(config):
        names.remove("mongodb")
    return names


def _mongodb_external(config: dict[str, t.Any]) -> bool:
    return config.get("EKS_MONGODB_MODE") == "byo"


def discover(
    clients: ClientFactory, config: dict[str, t.Any], names: t.Sequence[str]
) -> dict[str, Store]:
    """Each named store as it exists now; a missing one is an error naming it."""
    name = str(config["EKS_NAME"])
    found: dict[str, Store] = {}
    for store in names:
        if store == "mysql":
            found[store] = _rds_instance(clients("rds"), f"{name}-mysql")
        elif store == "mongodb":
            if _mongodb_external(config):
                raise BackupError(
                    "store 'mongodb' is not managed here (EKS_MONGODB_MODE=byo): back up "
                    "and restore your own MongoDB with its provider's tools."
                )
            found[store] = _docdb_cluster(clients("docdb"), f"{name}-docdb")
        elif store == "media":
            found[store] = _efs(clients("efs"), str(config.get("EKS_EFS_FILE_SYSTEM_ID") or ""))
        elif store == "search":
            found[store] = _search_volume(clients, name)
        else:
            raise unknown_store(store)
    return found


def _rds_instance(rds: t.Any, identifier: str) -> Store:
    try:
        item = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    except rds.exceptions.DBInstanceNotFoundFault:
        raise BackupError(
            f"RDS instance {identifier} not found: run `tutor eks infra apply` first, or "
            "check EKS_NAME and EKS_AWS_REGION."
        ) from None
    return Store("mysql", item["DBInstanceArn"], identifier, item)


def _docdb_cluster(docdb: t.Any, identifier: str) -> Store:
    try:
        item = docdb.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]
    except docdb.exceptions.DBClusterNotFoundFault:
        raise BackupError(
            f"DocumentDB cluster {identifier} not found: run `tutor eks infra apply` "
            "first, or set EKS_MONGODB_MODE=byo if MongoDB lives elsewhere."
        ) from None
    return Store("mongodb", item["DBClusterArn"], identifier, item)


def _efs(efs: t.Any, file_system_id: str) -> Store:
    if not file_system_id:
        raise BackupError(
            "EKS_EFS_FILE_SYSTEM_ID is empty: run `tutor eks infra apply` (it writes the "
            "media file system id) before backing up media."
        )
    try:
        item = efs.describe_file_systems(FileSystemId=file_system_id)["FileSystems"][0]
    except efs.exceptions.FileSystemNotFound:
        raise BackupError(
            f"EFS file system {file_system_id} (EKS_EFS_FILE_SYSTEM_ID) not found in this "
            "region: run `tutor eks infra output` to refresh it."
        ) from None
    return Store("media", item["FileSystemArn"], file_system_id, item)


def _search_volume(clients: ClientFactory, name: str) -> Store:
    ec2 = clients("ec2")
    tag = f"{name}-meilisearch-data"
    volumes = ec2.describe_volumes(Filters=[{"Name": "tag:Name", "Values": [tag]}])["Volumes"]
    if len(volumes) != 1:
        raise BackupError(
            f"expected one EBS volume tagged Name={tag}, found {len(volumes)}: run "
            "`tutor eks infra apply`, or remove the tag from volumes that are not the "
            "Meilisearch data volume."
        )
    item = volumes[0]
    account = account_id(clients)
    region = ec2.meta.region_name
    arn = f"arn:{_partition(region)}:ec2:{region}:{account}:volume/{item['VolumeId']}"
    return Store("search", arn, item["VolumeId"], item)


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def account_id(clients: ClientFactory) -> str:
    return str(clients("sts").get_caller_identity()["Account"])


def store_of_arn(stores: dict[str, Store], arn: str) -> t.Optional[str]:
    for store in stores.values():
        if store.arn == arn:
            return store.name
    return None
