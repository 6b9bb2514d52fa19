# Builds metagraph/testdata/sdk_state_dict.pkl: a small synthetic metagraph in
# the layout of the bittensor SDK's Metagraph.state_dict() saved without torch
# (plain pickle, numpy arrays, pickled dataclasses), without needing numpy or
# bittensor: stand-in modules reproduce the exact pickle opcodes numpy and a
# dataclass produce.
import pickle, struct, sys, types

np = types.ModuleType("numpy"); core = types.ModuleType("numpy.core"); ma = types.ModuleType("numpy.core.multiarray")
sys.modules.update({"numpy": np, "numpy.core": core, "numpy.core.multiarray": ma})

class ndarray: pass
ndarray.__module__ = "numpy"; np.ndarray = ndarray
def _reconstruct(*a): pass
_reconstruct.__module__ = "numpy.core.multiarray"; ma._reconstruct = _reconstruct
def scalar(*a): pass
scalar.__module__ = "numpy.core.multiarray"; ma.scalar = scalar

class dtype:
    def __init__(self, code): self.code = code
    def __reduce__(self): return (dtype, (self.code, False, True), (3, "<", None, None, None, -1, -1, 0))
dtype.__module__ = "numpy"; np.dtype = dtype

FMT = {"f4": "f", "i8": "q", "b1": "?"}
class Arr:
    def __init__(self, code, shape, values): self.code, self.shape, self.values = code, shape, values
    def __reduce__(self):
        raw = struct.pack("<%d%s" % (len(self.values), FMT[self.code]), *self.values)
        return (_reconstruct, (ndarray, (0,), b"b"), (1, self.shape, dtype(self.code), False, raw))

class Scalar:
    def __init__(self, code, v): self.code, self.v = code, v
    def __reduce__(self): return (scalar, (dtype(self.code), struct.pack("<" + FMT[self.code], self.v)))

ai = types.ModuleType("bittensor.core.chain_data.axon_info")
sys.modules["bittensor"] = types.ModuleType("bittensor")
sys.modules["bittensor.core"] = types.ModuleType("bittensor.core")
sys.modules["bittensor.core.chain_data"] = types.ModuleType("bittensor.core.chain_data")
sys.modules["bittensor.core.chain_data.axon_info"] = ai
class AxonInfo:
    def __init__(self, hotkey): self.hotkey, self.ip, self.port = hotkey, "0.0.0.0", 8091
AxonInfo.__module__ = "bittensor.core.chain_data.axon_info"; ai.AxonInfo = AxonInfo

n = 4
W = [0.0, 0.0, 0.75, 0.25,
     0.0, 0.0, 0.5, 0.5,
     0.0, 0.0, 0.0, 0.0,
     0.0, 0.0, 0.0, 0.0]
B = [0, 0, 65535, 1200,
     0, 0, 30000, 65535,
     0, 0, 0, 0,
     0, 0, 0, 0]
state = {
    "netuid": 7, "network": "finney", "version": Arr("i8", (1,), [1000]),
    "n": Arr("i8", (), [n]), "block": Scalar("i8", 5000123),
    "stake": Arr("f4", (n,), [1000.0, 250.5, 0.0, 3.0]),
    "total_stake": Arr("f4", (n,), [1000.0, 250.5, 0.0, 3.0]),
    "consensus": Arr("f4", (n,), [0.0, 0.0, 0.5, 0.5]),
    "incentive": Arr("f4", (n,), [0.0, 0.0, 0.6, 0.4]),
    "dividends": Arr("f4", (n,), [0.8, 0.2, 0.0, 0.0]),
    "validator_trust": Arr("f4", (n,), [1.0, 1.0, 0.0, 0.0]),
    "emission": Arr("f4", (n,), [0.5, 0.125, 0.25, 0.125]),
    "active": Arr("i8", (n,), [1, 1, 1, 0]),
    "last_update": Arr("i8", (n,), [5000100, 5000050, 4000000, 3000000]),
    "validator_permit": Arr("b1", (n,), [True, True, False, False]),
    "weights": Arr("f4", (n, n), W),
    "bonds": Arr("f4", (n, n), [float(x) for x in B]),
    "uids": Arr("i8", (n,), [0, 1, 2, 3]),
    "axons": [AxonInfo("5Hot%d" % i) for i in range(n)],
}
with open(sys.argv[1], "wb") as f:
    pickle.dump(state, f, protocol=2)
