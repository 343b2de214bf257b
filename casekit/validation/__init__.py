"""The validator: descriptor safety -> descriptor profile -> frictionless pass -> cross-table rules -> report."""
