"""`set_weights`: a registered validator scores the subnet's UIDs (`subnets/weights.rs`).

`SubtensorModule.set_weights(netuid, dests, weights, version_key)` checks, in subtensor's order:
equal lengths (`WeightVecNotEqualSize`), the subnet (`SubnetNotExists`), the sender's hotkey
registered on it (`HotKeyNotRegisteredInSubNet`), its stake against `StakeThreshold`
(`NotEnoughStakeToSetWeights`), the version key (`IncorrectWeightVersionKey`), the rate limit
(`SettingWeightsTooFast`: `WeightsSetRateLimit` blocks since `LastUpdate`, unless the row was never
set), valid and unique UIDs (`UidVecContainInvalidOne`, `DuplicateUids`), a validator permit
unless the row is a single self-weight (`NeuronNoValidatorPermit`), and at least
`min(MinAllowedWeights, SubnetworkN)` entries unless it is a self-weight
(`WeightVecLengthIsLow`). The row is then max-upscaled (`floor(w * 65535 / max(w))`), stored
as `Weights[netuid, uid]` and `LastUpdate[uid]` becomes the current block.

The sender is the hotkey (as on chain, weights are signed by the validator's hotkey).
A subnet with `CommitRevealWeightsEnabled` refuses `set_weights` (`CommitRevealEnabled`): its
weights arrive by `commit_weights` / `reveal_weights` (`chain.local.commit_reveal`), whose
reveal runs these checks without the rate limit (the commit was rate limited).
"""

from __future__ import annotations

from chain.local import stake_utils as su
from chain.local.calls import Env, call
from chain.local.epoch_modes import is_null as null_mode  # regqueue
from chain.local.errors import DispatchError
from chain.local.state import State
from chain.pallets import subtensor_module as sm

U16_MAX = 65_535


def WeightsError(name: str, message: str) -> DispatchError:  # noqa: N802 - raised like a class
    """A refused `set_weights`: the refusal class of subtensor's `name` (`chain.errors`)."""
    from chain.errors import fail

    return fail(name, message)


def max_upscale(values: list[int]) -> list[int]:
    """`max_upscale_to_u16`: scale so the largest weight is 65535, flooring each entry;
    all zeros stay zeros."""
    top = max(values, default=0)
    if top == 0:
        return [0] * len(values)
    return [min(v * U16_MAX // top, U16_MAX) for v in values]


def root_alpha_stake(state: State, hotkey: bytes, netuid: int) -> int:
    """The hotkey's alpha on the subnet plus its root stake weighted by TaoWeight (rao,
    floored): the stake the weights checks and the epoch count."""
    alpha = state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid)
    root = state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, 0)
    return alpha + root * state.get(sm.TAO_WEIGHT) // (2**64 - 1)


def check_and_upscale(state: State, hotkey: bytes, netuid: int, dests: list, weights: list,
                      version_key: int, block: int, *,
                      rate_limited: bool = True) -> tuple[int, list[list[int]]]:
    """Every check of `do_set_weights`; returns (uid, the stored row) or raises WeightsError.
    `rate_limited=False`: a reveal (the rate limit was the commit's)."""
    if not isinstance(dests, list) or not isinstance(weights, list):
        raise WeightsError("WeightVecNotEqualSize", "dests and weights must be lists")
    if len(dests) != len(weights):
        raise WeightsError("WeightVecNotEqualSize",
                           f"{len(dests)} uids but {len(weights)} weights")
    for v in (*dests, *weights):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= U16_MAX:
            raise WeightsError("UidVecContainInvalidOne",
                               f"{v!r} is not a u16")
    if netuid == 0 or not su.subnet_exists(state, netuid):
        raise WeightsError("SubnetNotExists", f"subnet {netuid} does not exist")
    uid = state.get(sm.UIDS, netuid, hotkey)
    if uid is None:
        raise WeightsError("HotKeyNotRegisteredInSubNet",
                           f"hotkey 0x{hotkey.hex()} is not registered on subnet {netuid}")
    threshold = state.get(sm.STAKE_THRESHOLD)
    if threshold and root_alpha_stake(state, hotkey, netuid) < threshold:
        raise WeightsError("NotEnoughStakeToSetWeights",
                           f"the hotkey's stake is below the threshold of {threshold} rao")
    if version_key < state.get(sm.WEIGHTS_VERSION_KEY, netuid):
        raise WeightsError("IncorrectWeightVersionKey",
                           f"version key {version_key} is below the subnet's "
                           f"{state.get(sm.WEIGHTS_VERSION_KEY, netuid)}")
    last = state.get(sm.LAST_UPDATE, netuid)
    last_update = last[uid] if uid < len(last) else 0
    limit = state.get(sm.WEIGHTS_SET_RATE_LIMIT, netuid)
    if rate_limited and state.get(sm.WEIGHTS, netuid, uid) and block - last_update < limit:
        raise WeightsError("SettingWeightsTooFast",
                           f"weights were set at block {last_update}; the next change is "
                           f"allowed at block {last_update + limit}")
    n = state.get(sm.SUBNETWORK_N, netuid)
    if any(d >= n for d in dests):
        raise WeightsError("UidVecContainInvalidOne",
                           f"uids must be below {n} (the subnet's neuron count)")
    if len(set(dests)) != len(dests):
        raise WeightsError("DuplicateUids", "a uid appears twice")
    self_only = dests == [uid]
    permits = state.get(sm.VALIDATOR_PERMIT, netuid)
    permitted = uid < len(permits) and bool(permits[uid])
    if not permitted and null_mode(state, netuid):  # regqueue: §7.0, the permit holder only
        raise WeightsError("NeuronNoValidatorPermit",
                           f"subnet {netuid} runs Null epochs: only its one permit holder sets "
                           "weights")
    if not self_only and not permitted:
        raise WeightsError("NeuronNoValidatorPermit",
                           f"uid {uid} has no validator permit on subnet {netuid} (permits are "
                           "given to the top stakes at each epoch)")
    minimum = min(state.get(sm.MIN_ALLOWED_WEIGHTS, netuid), n)
    if not self_only and len(dests) < minimum:
        raise WeightsError("WeightVecLengthIsLow",
                           f"{len(dests)} weights, the subnet requires at least {minimum}")
    row = [[d, w] for d, w in zip(dests, max_upscale(weights), strict=True)]
    return uid, row


@call("SubtensorModule", "set_weights")
def set_weights(env: Env, origin: bytes, netuid: int, dests: list, weights: list,
                version_key: int) -> None:
    """Store the sender hotkey's weights on the subnet (see the module docstring)."""
    state = env.state
    if state.get(sm.COMMIT_REVEAL_WEIGHTS_ENABLED, netuid):  # econ: commit-reveal subnets
        raise WeightsError("CommitRevealEnabled", f"subnet {netuid} takes weights by "
                           "commit-reveal: commit_weights, then reveal_weights")
    uid, row = check_and_upscale(state, origin, netuid, list(dests) if isinstance(
        dests, (list, tuple)) else dests, list(weights) if isinstance(weights, (list, tuple))
        else weights, version_key, env.block_number)
    state.set(sm.WEIGHTS, netuid, uid, row)
    last = list(state.get(sm.LAST_UPDATE, netuid))
    last += [0] * (uid + 1 - len(last))
    last[uid] = env.block_number
    state.set(sm.LAST_UPDATE, netuid, last)
    env.emit("SubtensorModule", "WeightsSet", netuid=netuid, uid=uid)
    env.result = {"call": "set_weights", "netuid": netuid, "uid": uid,
                  "weights": row}


# -- clients (issue 14) --------------------------------------------------------------------------
@call("SubtensorModule", "set_mechanism_weights")
def set_mechanism_weights(env: Env, origin: bytes, netuid: int, mecid: int, dests: list,
                          weights: list, version_key: int) -> None:
    """`set_mechanism_weights`: weights for one mechanism of the subnet. The bundled chain runs
    one mechanism per subnet (`MechanismCountCurrent` 1), whose storage index is the netuid
    itself, so mechanism 0 is `set_weights` and any other is `MechanismDoesNotExist`."""
    if mecid != 0:
        raise WeightsError("MechanismDoesNotExist",
                           f"subnet {netuid} has one mechanism (0), not {mecid}")
    set_weights(env, origin, netuid, dests, weights, version_key)
# -- end clients --
