"""Builds, in moto on 127.0.0.1, the AWS resources stage 1 makes, and the outputs that
name them: RDS, ElastiCache, the Meilisearch EC2 host, ACM certificates, the ALB with
its target group and listener, the WAF web ACL and CloudFront."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import boto3

from .pki import TestCa

REGION = "us-east-1"
MEILI_IP = "10.0.32.10"


_IMAGES: list[str] = []


def _image(ec2: t.Any) -> str:
    """Any AMI moto knows (listing them takes seconds: once per session)."""
    if not _IMAGES:
        _IMAGES.append(ec2.describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"])
    return _IMAGES[0]


@dataclass
class World:
    outputs: dict[str, dict[str, t.Any]]
    meili_instance: str
    distribution_id: str


def build(ca: TestCa, name: str, cert_days: int = 90, multi_az: bool = False,
          web_acl: bool = True) -> World:
    rds = boto3.client("rds", region_name=REGION)
    db = rds.create_db_instance(
        DBInstanceIdentifier=name, Engine="mysql", EngineVersion="8.4.3",
        DBInstanceClass="db.t4g.medium", MasterUsername="admin",
        MasterUserPassword="not-a-secret-1", AllocatedStorage=20, MultiAZ=multi_az,
    )["DBInstance"]
    cache = boto3.client("elasticache", region_name=REGION)
    cache.create_replication_group(
        ReplicationGroupId=name, ReplicationGroupDescription="openedx", Engine="redis",
        CacheNodeType="cache.t4g.small", NumCacheClusters=2 if multi_az else 1,
        TransitEncryptionEnabled=True, AuthToken="a-token-of-sixteen-chars",
        AutomaticFailoverEnabled=multi_az, MultiAZEnabled=multi_az,
    )
    group = cache.describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0]
    redis_host = group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]

    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{32 + i}.0/24",
                                 AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate("ab")]
    image = _image(ec2)
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnets[0],
                                 PrivateIpAddress=MEILI_IP, InstanceType="t3.medium")[
        "Instances"][0]["InstanceId"]

    hosts = ["learn.test", "*.learn.test"]
    acm = boto3.client("acm", region_name=REGION)
    cert = ca.issue(f"acm-{name}", hosts, cert_days)
    cert_arn = acm.import_certificate(Certificate=cert.pem, PrivateKey=cert.key_pem,
                                      CertificateChain=ca.path.read_bytes())["CertificateArn"]

    elbv2 = boto3.client("elbv2", region_name=REGION)
    lb = elbv2.create_load_balancer(Name=f"{name}-edge", Subnets=subnets, Scheme="internet-facing",
                                    Type="application")["LoadBalancers"][0]
    tg = elbv2.create_target_group(Name=f"{name}-nginx", Protocol="HTTP", Port=80, VpcId=vpc,
                                   TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443,
                          Certificates=[{"CertificateArn": cert_arn}],
                          DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": "10.0.32.50", "Port": 80},
                                                       {"Id": "10.0.33.50", "Port": 80}])

    wafv2 = boto3.client("wafv2", region_name=REGION)
    acl = wafv2.create_web_acl(
        Name=f"{name}-edge", Scope="CLOUDFRONT", DefaultAction={"Allow": {}},
        VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                          "MetricName": "edge"},
    )["Summary"]["ARN"]
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    dist = cloudfront.create_distribution(DistributionConfig={
        "CallerReference": name, "Comment": "openedx", "Enabled": True,
        "Aliases": {"Quantity": 1, "Items": ["learn.test"]},
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "alb", "DomainName": lb["DNSName"],
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                   "OriginProtocolPolicy": "https-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "alb",
                                 "ViewerProtocolPolicy": "redirect-to-https",
                                 "MinTTL": 0, "ForwardedValues": {
                                     "QueryString": True, "Cookies": {"Forward": "all"}}},
        "ViewerCertificate": {"ACMCertificateArn": cert_arn, "SSLSupportMethod": "sni-only",
                              "MinimumProtocolVersion": "TLSv1.2_2021"},
        "WebACLId": acl if web_acl else "",
    })["Distribution"]
    outputs = {
        "aws": {
            "region": REGION, "cluster_name": name, "profile": "small",
            "vpc_id": vpc, "private_subnet_ids": subnets,
            "mysql_host": db["Endpoint"]["Address"], "redis_host": redis_host,
            "meilisearch_url": f"http://{MEILI_IP}:7700",
            "alb_target_group_arn": tg, "alb_dns_name": lb["DNSName"],
            "cloudfront_distribution_id": dist["Id"],
            "cloudfront_domain_name": dist["DomainName"], "web_acl_arn": acl,
        },
        "cluster": {"ingress_class_name": "nginx", "nginx_namespace": "nginx-ingress",
                    "nginx_service_name": "nginx-ingress-controller"},
    }
    return World(outputs, instance, dist["Id"])
