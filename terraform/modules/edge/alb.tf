# The ALB in front of the NGINX Ingress Controller. The AWS Load Balancer Controller (stage
# 2) registers the NGINX pods in the IP target group through a TargetGroupBinding and opens
# the pods' security group to this ALB's security group.

data "aws_ec2_managed_prefix_list" "cloudfront_origin_facing" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "alb" {
  # A prefix: create_before_destroy needs the replacement to exist next to the old group,
  # which a fixed name forbids.
  name_prefix = "${var.name}-edge-alb-"
  description = "ALB behind CloudFront: HTTPS from CloudFront origin-facing addresses only"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-edge-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

# The only way in. The prefix list weighs about 55 rules against the security group quota
# (60 inbound rules by default), so nothing else should be added to this group.
resource "aws_vpc_security_group_ingress_rule" "alb_https_from_cloudfront" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from CloudFront origin-facing servers"
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront_origin_facing.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "alb_to_nginx" {
  for_each = local.alb_egress

  security_group_id = aws_security_group.alb.id
  description       = "To NGINX Ingress Controller pods (traffic and health checks)"
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  tags              = local.tags
}

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_28:The WAF web ACL sits on CloudFront (scope CLOUDFRONT); the ALB only admits CloudFront's prefix list plus the secret origin header, so every request it serves went through that WAF.
  name                       = "${var.name}-edge"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  idle_timeout               = var.alb_idle_timeout_seconds
  enable_deletion_protection = var.alb_deletion_protection
  drop_invalid_header_fields = true
  enable_http2               = true
  # CloudFront already put the viewer's address last in X-Forwarded-For; "preserve" keeps
  # the header as CloudFront sent it instead of appending the CloudFront edge address, so
  # NGINX (trusting only the VPC CIDR) finds the real client address.
  xff_header_processing_mode = "preserve"

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "alb"
    enabled = true
  }

  tags = merge(local.tags, { Name = "${var.name}-edge" })

  # The bucket policy must exist before ELB checks that it may write there.
  depends_on = [aws_s3_bucket_policy.logs]
}

resource "aws_lb_target_group" "nginx" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; ALB to NGINX pod traffic stays inside the VPC, on the port the ingress controller serves plain HTTP.
  name                 = "${var.name}-nginx"
  target_type          = "ip"
  protocol             = "HTTP"
  protocol_version     = "HTTP1"
  port                 = var.nginx_http_port
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay_seconds

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = tostring(var.nginx_health_check_port)
    path                = var.nginx_health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = merge(local.tags, { Name = "${var.name}-nginx" })
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.regional.certificate_arn

  # Anything that did not come through CloudFront (no or wrong secret header) stops here.
  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Forbidden"
      status_code  = "403"
    }
  }

  tags = local.tags
}

resource "aws_lb_listener_rule" "from_cloudfront" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 100

  condition {
    http_header {
      http_header_name = var.origin_header_name
      values           = local.origin_header_accepted
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.nginx.arn
  }

  tags = local.tags
}
