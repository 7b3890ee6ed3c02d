"""Deployment: nginx in front of replicas (`make serve`) and the offline bundle (`make bundle`)."""
