output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "Availability zones the subnets are spread over, in subnet order."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateways), one per AZ."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets with NAT egress (EKS nodes and pods, Meilisearch, EFS), one per AZ."
  value       = aws_subnet.private[*].id
}

output "data_subnet_ids" {
  description = "Data subnets without any route out of the VPC (RDS, DocumentDB, ElastiCache, OpenSearch), one per AZ."
  value       = aws_subnet.data[*].id
}

output "nat_gateway_ids" {
  description = "NAT gateways (one, or one per AZ)."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "Public IPs the private subnets leave through (allow-list them where outbound traffic must be recognised)."
  value       = aws_eip.nat[*].public_ip
}

output "private_route_table_ids" {
  description = "Route tables of the private subnets."
  value       = aws_route_table.private[*].id
}

output "data_route_table_id" {
  description = "Route table of the data subnets."
  value       = aws_route_table.data.id
}

output "s3_endpoint_id" {
  description = "ID of the S3 gateway endpoint."
  value       = aws_vpc_endpoint.s3.id
}

output "flow_log_group_name" {
  description = "CloudWatch log group that receives the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "settings" {
  description = "Security- and redundancy-relevant settings as applied (read by the stack's tests and handy for reviews)."
  value = {
    az_count                  = local.az_count
    nat_gateway_count         = length(aws_nat_gateway.this)
    public_ip_on_launch       = { for tier, subnets in { public = aws_subnet.public, private = aws_subnet.private, data = aws_subnet.data } : tier => distinct(subnets[*].map_public_ip_on_launch) }
    private_default_routes    = { nat = length(compact(aws_route.private_nat[*].nat_gateway_id)), internet_gateway = length(compact(aws_route.private_nat[*].gateway_id)) }
    s3_endpoint_type          = aws_vpc_endpoint.s3.vpc_endpoint_type
    s3_endpoint_route_tables  = length(aws_vpc_endpoint.s3.route_table_ids)
    interface_endpoints       = sort(keys(aws_vpc_endpoint.interface))
    flow_log_traffic_type     = aws_flow_log.this.traffic_type
    flow_log_group_kms_key_id = aws_cloudwatch_log_group.flow_logs.kms_key_id
    flow_log_retention_days   = aws_cloudwatch_log_group.flow_logs.retention_in_days
    # Where each private subnet's default route leads, followed through the resources
    # (association -> route table -> route -> NAT gateway -> its public subnet), so a
    # route pointed at another zone's NAT shows as a zone mismatch.
    private_egress = local.private_egress
    # Subnet ID -> AZ, so a caller can tell how many zones a subnet group spans.
    subnet_azs = { for s in concat(aws_subnet.public, aws_subnet.private, aws_subnet.data) : s.id => s.availability_zone }
  }
}

locals {
  private_egress = [
    for s in aws_subnet.private : {
      subnet_az = s.availability_zone
      nat_az = one([
        for n in aws_nat_gateway.this : one([for pub in aws_subnet.public : pub.availability_zone if pub.id == n.subnet_id])
        if contains([
          for r in aws_route.private_nat : r.nat_gateway_id
          if contains([for a in aws_route_table_association.private : a.route_table_id if a.subnet_id == s.id], r.route_table_id)
        ], n.id)
      ])
    }
  ]
}
