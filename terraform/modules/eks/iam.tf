locals {
  cluster_sg_arn = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/${aws_eks_cluster.this.vpc_config[0].cluster_security_group_id}"

  # Roles handed to pods through EKS Pod Identity. Service accounts of the
  # controllers are the names their Helm charts use by default.
  pod_identity_roles = {
    ebs_csi = {
      short           = "ebs-csi"
      description     = "EBS CSI driver controller"
      managed         = ["service-role/AmazonEBSCSIDriverPolicy"]
      namespace       = "kube-system"
      service_account = "ebs-csi-controller-sa"
      associate       = false # associated by its add-on
    }
    efs_csi = {
      short           = "efs-csi"
      description     = "EFS CSI driver controller"
      managed         = ["service-role/AmazonEFSCSIDriverPolicy"]
      namespace       = "kube-system"
      service_account = "efs-csi-controller-sa"
      associate       = false
    }
    load_balancer_controller = {
      short           = "aws-lbc"
      description     = "AWS Load Balancer Controller (TargetGroupBinding mode)"
      managed         = []
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
      associate       = true
    }
    cluster_autoscaler = {
      short           = "autoscaler"
      description     = "Cluster autoscaler"
      managed         = []
      namespace       = "kube-system"
      service_account = "cluster-autoscaler"
      associate       = true
    }
    media = {
      short           = "media"
      description     = "Open edX pods (S3 media)"
      managed         = []
      namespace       = var.openedx_namespace
      service_account = var.openedx_service_account
      associate       = true
    }
  }

  managed_attachments = merge([
    for role, spec in local.pod_identity_roles : {
      for policy in spec.managed : "${role}/${policy}" => { role = role, policy = policy }
    }
  ]...)
}

resource "aws_iam_role" "pod_identity" {
  for_each = local.pod_identity_roles

  # IAM caps name prefixes at 38 characters: cluster name (21 at most from the
  # stack) + a short role name (10 at most) + two dashes fit.
  name_prefix        = "${substr(var.cluster_name, 0, 24)}-${each.value.short}-"
  description        = "${each.value.description} on ${var.cluster_name} (EKS Pod Identity)"
  assume_role_policy = local.pod_identity_trust
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "pod_identity" {
  for_each = local.managed_attachments

  role       = aws_iam_role.pod_identity[each.value.role].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value.policy}"
}

resource "aws_eks_pod_identity_association" "this" {
  for_each = { for k, v in local.pod_identity_roles : k => v if v.associate }

  cluster_name    = aws_eks_cluster.this.name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.pod_identity[each.key].arn
  tags            = var.tags
}

# Stage 2 binds the NGINX pods to a Terraform-made target group with a
# TargetGroupBinding: the controller only reads, registers targets, and opens the
# node security group to the ALB. It never creates load balancers, so the broad
# upstream policy is not needed.
resource "aws_iam_role_policy" "load_balancer_controller" {
  name = "target-group-binding"
  role = aws_iam_role.pod_identity["load_balancer_controller"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Discover"
        Effect = "Allow"
        Action = [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeTags",
          "ec2:DescribeVpcs",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetHealth",
        ]
        Resource = "*"
      },
      {
        Sid      = "RegisterPods"
        Effect   = "Allow"
        Action   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
        Resource = "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:targetgroup/*/*"
      },
      {
        Sid      = "OpenNodesToTheLoadBalancer"
        Effect   = "Allow"
        Action   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
        Resource = local.cluster_sg_arn
      },
    ]
  })
}

resource "aws_iam_role_policy" "cluster_autoscaler" {
  name = "scale-own-node-groups"
  role = aws_iam_role.pod_identity["cluster_autoscaler"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Discover"
        Effect = "Allow"
        Action = [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
        ]
        Resource = "*"
      },
      {
        Sid      = "ReadOwnNodeGroups"
        Effect   = "Allow"
        Action   = "eks:DescribeNodegroup"
        Resource = "arn:${local.partition}:eks:${local.region}:${local.account_id}:nodegroup/${var.cluster_name}/*/*"
      },
      {
        # EKS tags the Auto Scaling groups of managed node groups with
        # k8s.io/cluster-autoscaler/<cluster> = owned: only those may be resized.
        Sid      = "ScaleOwnGroups"
        Effect   = "Allow"
        Action   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
        Resource = "*"
        Condition = {
          StringEquals = { "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned" }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "media" {
  count = var.media_bucket_enabled ? 1 : 0

  name = "s3-media"
  role = aws_iam_role.pod_identity["media"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListMedia"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation"]
        Resource = var.media_bucket_arn
      },
      {
        Sid      = "ReadWriteMedia"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = "${var.media_bucket_arn}/*"
      },
      {
        # The bucket is encrypted with the deployment key (SSE-KMS).
        Sid      = "UseBucketKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = var.kms_key_arn
      },
    ]
  })
}
