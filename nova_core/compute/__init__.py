"""The compute service: manager (RPC endpoint), resource tracker, rpcapi, states."""
