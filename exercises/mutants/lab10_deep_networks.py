"""Plausible wrong answers to lab10_deep_networks; each must lose exactly its own exercise's points."""
from exercises.contracts import Bool, Contract, Float, Gen, Int, Opt, Seq, T, Tup
from exercises.mutants import Alternative, Mutant

HE = "return math.sqrt(2.0 / fan_in)"
XAVIER = "return math.sqrt(2.0 / (fan_in + fan_out))"
KEEP = "keep = (u >= p).to(device=x.device, dtype=x.dtype)"
P_ONE = "    if p == 1:\n        return x * 0.0                    # zeros, still attached to x's graph (gradient 0)\n"
BN_UPDATE_VAR = "new_var = (1 - momentum) * running_var + momentum * x.var(dim=0, correction=1)"
MOM_V = "v_new = mu * v + g"
ADA_S = "s_new = s + g * g"
RMS_S = "s_new = alpha * s + (1 - alpha) * g * g"
ADAM_P = "return p - lr * m_hat / (torch.sqrt(v_hat) + eps), m_new, v_new"

MUTANTS = [
    # ex01 fans / xavier_std / he_std
    Mutant("ex01_init_std", "he_uses_fan_out", replace=((HE, "return math.sqrt(2.0 / fan_out)"),)),
    Mutant("ex01_init_std", "xavier_missing_the_2", replace=((XAVIER, "return math.sqrt(1.0 / (fan_in + fan_out))"),)),
    Mutant("ex01_init_std", "he_missing_the_2", replace=((HE, "return math.sqrt(1.0 / fan_in)"),)),
    Mutant("ex01_init_std", "fans_swapped", replace=(("fan_out, fan_in = weight.shape", "fan_in, fan_out = weight.shape"),)),
    Mutant("ex01_init_std", "xavier_uniform_bound", replace=((XAVIER, "return math.sqrt(6.0 / (fan_in + fan_out))"),)),
    Mutant("ex01_init_std", "xavier_fan_in_only", replace=((XAVIER, "return math.sqrt(1.0 / fan_in)"),)),
    Mutant("ex01_init_std", "he_variance_not_std", replace=((HE, "return 2.0 / fan_in"),)),
    Mutant("ex01_init_std", "fans_square_only", replace=(("fan_out, fan_in = weight.shape", "fan_out = fan_in = weight.shape[0]"),)),
    Mutant("ex01_init_std", "xavier_returns_tensor", replace=((XAVIER, "return torch.sqrt(torch.tensor(2.0 / (fan_in + fan_out)))"),)),
    Mutant("ex01_init_std", "fans_as_torch_size", replace=(("return int(fan_in), int(fan_out)", "return weight.shape[1:], weight.shape[:1]"),)),
    # ex02 dropout_forward
    Mutant("ex02_dropout", "not_scaled", replace=(("return x * keep / (1 - p)", "return x * keep"),)),
    Mutant("ex02_dropout", "active_in_eval", replace=(("if not training or p == 0:", "if p == 0:"),)),
    Mutant("ex02_dropout", "scaled_by_1_minus_p", replace=(("return x * keep / (1 - p)", "return x * keep * (1 - p)"),)),
    Mutant("ex02_dropout", "keeps_with_probability_p", replace=((KEEP, "keep = (u < p).to(device=x.device, dtype=x.dtype)"),)),
    Mutant("ex02_dropout", "ignores_generator", replace=(("u = torch.rand(x.shape, generator=generator)", "u = torch.rand(x.shape)"),)),
    Mutant("ex02_dropout", "old_style_scale_at_eval", source=(
        "def dropout_forward(x, p, training, generator=None):\n"
        "    if not training:\n"
        "        return x * (1 - p)\n"
        "    u = torch.rand(x.shape, generator=generator)\n"
        "    return x * (u >= p).to(device=x.device, dtype=x.dtype)\n")),
    Mutant("ex02_dropout", "in_place", breaks="no_mutation", replace=(("return x * keep / (1 - p)", "x.mul_(keep / (1 - p))\n    return x"),)),
    Mutant("ex02_dropout", "p_one_divides_by_zero", replace=((P_ONE, ""),)),
    Mutant("ex02_dropout", "p_one_zeros_like", replace=((P_ONE, "    if p == 1:\n        return torch.zeros_like(x)\n"),)),
    Mutant("ex02_dropout", "mask_as_float64", replace=((KEEP, "keep = (u >= p).to(device=x.device, dtype=torch.float64)"),)),
    Mutant("ex02_dropout", "detached", replace=(("return x * keep / (1 - p)", "return x.detach() * keep / (1 - p)"),)),
    # ex03 batchnorm_forward
    Mutant("ex03_batchnorm", "batch_stats_in_eval", source=(
        "def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):\n"
        "    mean, var = x.mean(dim=0), x.var(dim=0, correction=0)\n"
        "    if training:\n"
        "        running_mean = (1 - momentum) * running_mean + momentum * mean\n"
        "        running_var = (1 - momentum) * running_var + momentum * x.var(dim=0, correction=1)\n"
        "    return gamma * (x - mean) / torch.sqrt(var + eps) + beta, running_mean, running_var\n")),
    Mutant("ex03_batchnorm", "running_var_biased", replace=((BN_UPDATE_VAR, "new_var = (1 - momentum) * running_var + momentum * var"),)),
    Mutant("ex03_batchnorm", "normalises_with_unbiased_var", replace=(("var = x.var(dim=0, correction=0)", "var = x.var(dim=0, correction=1)"),)),
    Mutant("ex03_batchnorm", "momentum_reversed", replace=(
        ("new_mean = (1 - momentum) * running_mean + momentum * mean", "new_mean = momentum * running_mean + (1 - momentum) * mean"),
        (BN_UPDATE_VAR, "new_var = momentum * running_var + (1 - momentum) * x.var(dim=0, correction=1)"))),
    Mutant("ex03_batchnorm", "eps_outside_sqrt", replace=(("torch.sqrt(var + eps)", "(torch.sqrt(var) + eps)"),)),
    Mutant("ex03_batchnorm", "statistics_over_features", replace=(
        ("mean = x.mean(dim=0)", "mean = x.mean(dim=1, keepdim=True)"),
        ("var = x.var(dim=0, correction=0)", "var = x.var(dim=1, correction=0, keepdim=True)"))),
    Mutant("ex03_batchnorm", "running_stats_in_place", breaks="no_mutation", replace=(
        ("new_mean = (1 - momentum) * running_mean + momentum * mean", "new_mean = running_mean.mul_(1 - momentum).add_(momentum * mean)"),)),
    Mutant("ex03_batchnorm", "forgot_gamma_beta", replace=(("out = gamma * (x - mean) / torch.sqrt(var + eps) + beta", "out = (x - mean) / torch.sqrt(var + eps)"),)),
    Mutant("ex03_batchnorm", "ignores_eps", replace=(("torch.sqrt(var + eps)", "torch.sqrt(var + 1e-5)"),)),
    Mutant("ex03_batchnorm", "ignores_momentum", replace=(("new_mean = (1 - momentum) * running_mean + momentum * mean", "new_mean = 0.9 * running_mean + 0.1 * mean"),
                                                          (BN_UPDATE_VAR, "new_var = 0.9 * running_var + 0.1 * x.var(dim=0, correction=1)"))),
    Mutant("ex03_batchnorm", "computes_in_float32", replace=(("return out, new_mean, new_var", "return out.float(), new_mean.float(), new_var.float()"),)),
    Mutant("ex03_batchnorm", "running_stats_not_updated", replace=(
        ("new_mean = (1 - momentum) * running_mean + momentum * mean", "new_mean = running_mean"),
        (BN_UPDATE_VAR, "new_var = running_var"))),
    # ex04 l2_penalty / l1_penalty
    Mutant("ex04_penalties", "l2_without_half", replace=(("return lam / 2 * sum((w ** 2).sum() for w in weights)", "return lam * sum((w ** 2).sum() for w in weights)"),)),
    Mutant("ex04_penalties", "l2_norm_not_squared", replace=(("return lam / 2 * sum((w ** 2).sum() for w in weights)", "return lam / 2 * sum(w.norm() for w in weights)"),)),
    Mutant("ex04_penalties", "only_first_tensor", replace=(
        ("return lam / 2 * sum((w ** 2).sum() for w in weights)", "return lam / 2 * (weights[0] ** 2).sum()"),
        ("return lam * sum(w.abs().sum() for w in weights)", "return lam * weights[0].abs().sum()"))),
    Mutant("ex04_penalties", "l1_without_abs", replace=(("return lam * sum(w.abs().sum() for w in weights)", "return lam * sum(w.sum() for w in weights)"),)),
    Mutant("ex04_penalties", "mean_not_sum", replace=(("(w ** 2).sum()", "(w ** 2).mean()"), ("w.abs().sum()", "w.abs().mean()"))),
    Mutant("ex04_penalties", "python_float", replace=(("return lam / 2 * sum((w ** 2).sum() for w in weights)", "return lam / 2 * sum((w ** 2).sum().item() for w in weights)"),)),
    Mutant("ex04_penalties", "l1_abs_in_place", breaks="no_mutation", replace=(("w.abs().sum()", "w.abs_().sum()"),)),
    Mutant("ex04_penalties", "l1_ignores_lam", replace=(("return lam * sum(w.abs().sum() for w in weights)", "return sum(w.abs().sum() for w in weights)"),)),
    Mutant("ex04_penalties", "l1_squared", replace=(("return lam * sum(w.abs().sum() for w in weights)", "return lam * sum(w.abs().sum() for w in weights) ** 2"),)),
    # ex05 sgd_momentum_step
    Mutant("ex05_sgd_momentum", "sign_flipped", replace=(("return p - lr * step, v_new", "return p + lr * step, v_new"),)),
    Mutant("ex05_sgd_momentum", "nesterov_like_plain_momentum", replace=(("step = g + mu * v_new if nesterov else v_new", "step = v_new"),)),
    Mutant("ex05_sgd_momentum", "nesterov_with_old_buffer", replace=(("step = g + mu * v_new if nesterov else v_new", "step = g + mu * v if nesterov else v_new"),)),
    Mutant("ex05_sgd_momentum", "dampened_buffer", replace=((MOM_V, "v_new = mu * v + (1 - mu) * g"),)),
    Mutant("ex05_sgd_momentum", "lr_inside_buffer", source=(
        "def sgd_momentum_step(p, g, v, lr, mu=0.9, nesterov=False):\n"
        "    v_new = mu * v - lr * g\n"
        "    if nesterov:\n"
        "        return p + mu * v_new - lr * g, v_new\n"
        "    return p + v_new, v_new\n")),
    Mutant("ex05_sgd_momentum", "buffer_in_place", breaks="no_mutation", replace=((MOM_V, "v_new = v.mul_(mu).add_(g)"),)),
    Mutant("ex05_sgd_momentum", "ignores_mu", replace=((MOM_V, "v_new = 0.9 * v + g"), ("step = g + mu * v_new", "step = g + 0.9 * v_new"))),
    Mutant("ex05_sgd_momentum", "parameter_in_place", breaks="no_mutation", replace=(("return p - lr * step, v_new", "return p.sub_(lr * step), v_new"),)),
    Mutant("ex05_sgd_momentum", "returns_old_buffer", replace=(("return p - lr * step, v_new", "return p - lr * step, v"),)),
    Mutant("ex05_sgd_momentum", "momentum_on_gradient_not_buffer", replace=((MOM_V, "v_new = v + mu * g"),)),
    # ex06 adagrad_step / rmsprop_step
    Mutant("ex06_adagrad_rmsprop", "adagrad_not_accumulating", replace=((ADA_S, "s_new = g * g"),)),
    Mutant("ex06_adagrad_rmsprop", "rmsprop_without_square", replace=((RMS_S, "s_new = alpha * s + (1 - alpha) * g"),)),
    Mutant("ex06_adagrad_rmsprop", "rmsprop_alpha_swapped", replace=((RMS_S, "s_new = (1 - alpha) * s + alpha * g * g"),)),
    Mutant("ex06_adagrad_rmsprop", "adagrad_eps_inside_sqrt", source=(
        "def adagrad_step(p, g, s, lr, eps=1e-10):\n"
        "    s_new = s + g * g\n"
        "    return p - lr * g / torch.sqrt(s_new + eps), s_new\n\n\n"
        "def rmsprop_step(p, g, s, lr, alpha=0.99, eps=1e-8):\n"
        "    s_new = alpha * s + (1 - alpha) * g * g\n"
        "    return p - lr * g / (torch.sqrt(s_new) + eps), s_new\n")),
    Mutant("ex06_adagrad_rmsprop", "rmsprop_eps_inside_sqrt", source=(
        "def adagrad_step(p, g, s, lr, eps=1e-10):\n"
        "    s_new = s + g * g\n"
        "    return p - lr * g / (torch.sqrt(s_new) + eps), s_new\n\n\n"
        "def rmsprop_step(p, g, s, lr, alpha=0.99, eps=1e-8):\n"
        "    s_new = alpha * s + (1 - alpha) * g * g\n"
        "    return p - lr * g / torch.sqrt(s_new + eps), s_new\n")),
    Mutant("ex06_adagrad_rmsprop", "no_square_root", replace=(("torch.sqrt(s_new) + eps", "s_new + eps"),)),
    Mutant("ex06_adagrad_rmsprop", "adagrad_decays_like_rmsprop", replace=((ADA_S, "s_new = 0.99 * s + 0.01 * g * g"),)),
    Mutant("ex06_adagrad_rmsprop", "state_in_place", breaks="no_mutation", replace=((ADA_S, "s_new = s.add_(g * g)"),)),
    Mutant("ex06_adagrad_rmsprop", "rmsprop_state_in_place", breaks="no_mutation", replace=((RMS_S, "s_new = s.mul_(alpha).add_((1 - alpha) * g * g)"),)),
    Mutant("ex06_adagrad_rmsprop", "adagrad_ignores_eps", source=(
        "def adagrad_step(p, g, s, lr, eps=1e-10):\n"
        "    s_new = s + g * g\n"
        "    return p - lr * g / (torch.sqrt(s_new) + 1e-10), s_new\n\n\n"
        "def rmsprop_step(p, g, s, lr, alpha=0.99, eps=1e-8):\n"
        "    s_new = alpha * s + (1 - alpha) * g * g\n"
        "    return p - lr * g / (torch.sqrt(s_new) + eps), s_new\n")),
    Mutant("ex06_adagrad_rmsprop", "state_updated_after_the_step", replace=(("torch.sqrt(s_new) + eps", "torch.sqrt(s) + eps"),)),
    # ex07 adam_step
    Mutant("ex07_adam", "no_bias_correction", replace=(("m_hat = m_new / (1 - beta1 ** t)", "m_hat = m_new"),
                                                      ("v_hat = v_new / (1 - beta2 ** t)", "v_hat = v_new"))),
    Mutant("ex07_adam", "eps_inside_sqrt", replace=((ADAM_P, "return p - lr * m_hat / torch.sqrt(v_hat + eps), m_new, v_new"),)),
    Mutant("ex07_adam", "betas_swapped", replace=(("beta1, beta2 = betas", "beta2, beta1 = betas"),)),
    Mutant("ex07_adam", "v_without_square", replace=(("v_new = beta2 * v + (1 - beta2) * g * g", "v_new = beta2 * v + (1 - beta2) * g.abs()"),)),
    Mutant("ex07_adam", "bias_correction_off_by_one", replace=(("beta1 ** t", "beta1 ** (t + 1)"), ("beta2 ** t", "beta2 ** (t + 1)"))),
    Mutant("ex07_adam", "only_m_corrected", replace=(("v_hat = v_new / (1 - beta2 ** t)", "v_hat = v_new"),)),
    Mutant("ex07_adam", "returns_corrected_moments", replace=((ADAM_P, "return p - lr * m_hat / (torch.sqrt(v_hat) + eps), m_hat, v_hat"),)),
    Mutant("ex07_adam", "wrong_correction_power", replace=(("(1 - beta1 ** t)", "(1 - beta1) ** t"), ("(1 - beta2 ** t)", "(1 - beta2) ** t"))),
    Mutant("ex07_adam", "moments_in_place", breaks="no_mutation", replace=(("m_new = beta1 * m + (1 - beta1) * g", "m_new = m.mul_(beta1).add_((1 - beta1) * g)"),)),
    Mutant("ex07_adam", "ignores_betas", replace=(("beta1, beta2 = betas", "beta1, beta2 = 0.9, 0.999"),)),
    Mutant("ex07_adam", "ignores_eps", replace=((ADAM_P, "return p - lr * m_hat / (torch.sqrt(v_hat) + 1e-8), m_new, v_new"),)),
    Mutant("ex07_adam", "sign_flipped", replace=((ADAM_P, "return p + lr * m_hat / (torch.sqrt(v_hat) + eps), m_new, v_new"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_init_std", "size_and_powers", source=(
        "def fans(weight):\n"
        "    return weight.size(1), weight.size(0)\n\n\n"
        "def xavier_std(fan_in, fan_out):\n"
        "    return (2 / (fan_in + fan_out)) ** 0.5\n\n\n"
        "def he_std(fan_in, fan_out):\n"
        "    return math.sqrt(2) / math.sqrt(fan_in)\n")),
    Alternative("ex02_dropout", "where_and_scale", source=(
        "def dropout_forward(x, p, training, generator=None):\n"
        "    if not training or p == 0:\n"
        "        return x\n"
        "    keep = (torch.rand(x.shape, generator=generator) >= p).to(x.device)\n"
        "    scale = 1.0 / (1.0 - p) if p < 1 else 0.0\n"
        "    return torch.where(keep, x * scale, torch.zeros_like(x))\n")),
    # (returning running_mean.clone() in evaluation mode is right too, but the grader's probes ask for the
    # reference's aliasing: see the lab-owner report)
    Alternative("ex03_batchnorm", "sums_and_rsqrt", source=(
        "def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):\n"
        "    if not training:\n"
        "        out = (x - running_mean) * torch.rsqrt(running_var + eps) * gamma + beta\n"
        "        return out, running_mean, running_var\n"
        "    n = x.shape[0]\n"
        "    mean = x.sum(dim=0) / n\n"
        "    sq = ((x - mean) ** 2).sum(dim=0)\n"
        "    out = (x - mean) * torch.rsqrt(sq / n + eps) * gamma + beta\n"
        "    new_mean = running_mean + momentum * (mean - running_mean)\n"
        "    new_var = running_var + momentum * (sq / (n - 1) - running_var)\n"
        "    return out, new_mean, new_var\n")),
    Alternative("ex04_penalties", "flatten_and_cat", source=(
        "def l2_penalty(weights, lam):\n"
        "    flat = torch.cat([w.reshape(-1) for w in weights])\n"
        "    return 0.5 * lam * torch.dot(flat, flat)\n\n\n"
        "def l1_penalty(weights, lam):\n"
        "    return lam * torch.stack([torch.abs(w).sum() for w in weights]).sum()\n")),
    Alternative("ex05_sgd_momentum", "torch_add_alpha", source=(
        "def sgd_momentum_step(p, g, v, lr, mu=0.9, nesterov=False):\n"
        "    v_new = torch.add(g, v, alpha=mu)\n"
        "    step = torch.add(g, v_new, alpha=mu) if nesterov else v_new\n"
        "    return torch.add(p, step, alpha=-lr), v_new\n")),
    Alternative("ex06_adagrad_rmsprop", "addcmul_addcdiv", source=(
        "def adagrad_step(p, g, s, lr, eps=1e-10):\n"
        "    s_new = torch.addcmul(s, g, g)\n"
        "    return torch.addcdiv(p, g, s_new.sqrt().add(eps), value=-lr), s_new\n\n\n"
        "def rmsprop_step(p, g, s, lr, alpha=0.99, eps=1e-8):\n"
        "    s_new = torch.addcmul(s * alpha, g, g, value=1 - alpha)\n"
        "    return torch.addcdiv(p, g, s_new.sqrt().add(eps), value=-lr), s_new\n")),
    Alternative("ex07_adam", "torch_optim_formula", source=(
        "def adam_step(p, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
        "    beta1, beta2 = betas\n"
        "    m_new = torch.lerp(m, g, 1 - beta1)\n"
        "    v_new = v * beta2 + (1 - beta2) * g.square()\n"
        "    denom = v_new.sqrt() / math.sqrt(1 - beta2 ** t) + eps\n"
        "    return p - (lr / (1 - beta1 ** t)) * m_new / denom, m_new, v_new\n")),
]

_STEP = T(..., dtype="float")  # a parameter, its gradient or an optimizer state: any shape, all the same
_WHY_STEP = "an optimizer step takes a parameter of any shape, with no batch axis"

CONTRACTS = [
    Contract("ex01_init_std", "fans", {"weight": T("out", "in")}, returns=Tup(Int(lo=1), Int(lo=1)), batch=None,
             diverse="weight", why_not="a layer's weight (out_features, in_features): no batch axis"),
    Contract("ex01_init_std", "xavier_std", {"fan_in": Int(lo=1), "fan_out": Int(lo=1)}, returns=Float(lo=0)),
    Contract("ex01_init_std", "he_std", {"fan_in": Int(lo=1), "fan_out": Int(lo=1)}, returns=Float(lo=0)),
    Contract("ex02_dropout", "dropout_forward", {"x": T(..., dtype="float"), "p": Float(lo=0, hi=1), "training": Bool(),
                                                 "generator": Opt(Gen())},
             returns=T(..., dtype="float"), rules=("device", "no_mutation"), batch="x"),
    Contract("ex03_batchnorm", "batchnorm_forward",
             {"x": T("N", "D", dtype="float"), "gamma": T("D", dtype="float"), "beta": T("D", dtype="float"),
              "running_mean": T("D", dtype="float"), "running_var": T("D", dtype="float"), "training": Bool(),
              "momentum": Float(lo=0, hi=1), "eps": Float(lo=0)},
             returns=Tup(T("N", "D", dtype="float"), T("D", dtype="float"), T("D", dtype="float")),
             rules=("device", "no_mutation"), batch="x"),
    Contract("ex04_penalties", "l2_penalty", {"weights": Seq(T(..., dtype="float"), min_len=1), "lam": Float(lo=0)},
             returns=T(dtype="float"), rules=("device", "no_mutation"), batch=None, diverse=None,
             why_not="weights is a list of tensors of any shapes (every layer's weight), with no batch axis"),
    Contract("ex04_penalties", "l1_penalty", {"weights": Seq(T(..., dtype="float"), min_len=1), "lam": Float(lo=0)},
             returns=T(dtype="float"), rules=("device", "no_mutation"), batch=None, diverse=None,
             why_not="weights is a list of tensors of any shapes (every layer's weight), with no batch axis"),
    Contract("ex05_sgd_momentum", "sgd_momentum_step", {"p": _STEP, "g": _STEP, "v": _STEP, "lr": Float(lo=0),
                                                        "mu": Float(lo=0, hi=1), "nesterov": Bool()},
             returns=Tup(_STEP, _STEP), rules=("device", "no_mutation"), batch=None, diverse="p", why_not=_WHY_STEP),
    Contract("ex06_adagrad_rmsprop", "adagrad_step", {"p": _STEP, "g": _STEP, "s": _STEP, "lr": Float(lo=0), "eps": Float(lo=0)},
             returns=Tup(_STEP, _STEP), rules=("device", "no_mutation"), batch=None, diverse="p", why_not=_WHY_STEP),
    Contract("ex06_adagrad_rmsprop", "rmsprop_step", {"p": _STEP, "g": _STEP, "s": _STEP, "lr": Float(lo=0),
                                                      "alpha": Float(lo=0, hi=1), "eps": Float(lo=0)},
             returns=Tup(_STEP, _STEP), rules=("device", "no_mutation"), batch=None, diverse="p", why_not=_WHY_STEP),
    Contract("ex07_adam", "adam_step", {"p": _STEP, "g": _STEP, "m": _STEP, "v": _STEP, "t": Int(lo=1), "lr": Float(lo=0),
                                        "betas": Tup(Float(lo=0, hi=1), Float(lo=0, hi=1)), "eps": Float(lo=0)},
             returns=Tup(_STEP, _STEP, _STEP), rules=("device", "no_mutation"), batch=None, diverse="p", why_not=_WHY_STEP),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 fans / xavier_std / he_std
    "he_uses_fan_out": (
        "dividing by fan_out in He's formula, but PyTorch's default mode='fan_in' uses fan_in",
        "he_std is sqrt(2 / fan_in); fan_out is passed in but does not enter the formula"),
    "xavier_missing_the_2": (
        "using sqrt(1 / (fan_in + fan_out)), which misses the 2 in the numerator of Xavier's std",
        "Xavier's std is sqrt(2 / (fan_in + fan_out))"),
    "he_missing_the_2": (
        "using sqrt(1 / fan_in), LeCun's scale, which misses the 2 that He adds because ReLU zeroes half its inputs",
        "He's std for ReLU layers is sqrt(2 / fan_in)"),
    "fans_swapped": (
        "unpacking weight.shape as (fan_in, fan_out), but an nn.Linear weight has shape (out_features, in_features)",
        "fan_in is weight.shape[1] and fan_out is weight.shape[0]"),
    "xavier_uniform_bound": (
        "returning sqrt(6 / (fan_in + fan_out)), the bound of Xavier's uniform init, not the std of the normal one",
        "the std of xavier_normal_ is sqrt(2 / (fan_in + fan_out))"),
    "xavier_fan_in_only": (
        "using sqrt(1 / fan_in), which ignores fan_out: Xavier's std takes both fans into account",
        "divide 2 by the sum of the two fans, then take the square root"),
    "he_variance_not_std": (
        "returning 2 / fan_in, the variance, without the square root that makes it a standard deviation",
        "take the square root with math.sqrt"),
    "fans_square_only": (
        "setting both fans to weight.shape[0], which is only right for a square weight",
        "read both dimensions: weight.shape is (out_features, in_features) = (fan_out, fan_in)"),
    "xavier_returns_tensor": (
        "returning a 0-dim tensor from torch.sqrt instead of a Python float",
        "use math.sqrt on the Python number"),
    "fans_as_torch_size": (
        "returning weight.shape[1:] and weight.shape[:1], one-element torch.Size tuples, not Python ints",
        "index single dimensions and convert them: int(weight.shape[1]) and int(weight.shape[0])"),
    # ex02 dropout_forward
    "not_scaled": (
        "zeroing entries without scaling the survivors by 1/(1 - p), so the expected value shrinks by a factor (1 - p)",
        "inverted dropout divides the kept entries by (1 - p) during training"),
    "active_in_eval": (
        "dropping entries even when training=False, but in evaluation dropout is the identity",
        "return x unchanged when not training (and when p == 0)"),
    "scaled_by_1_minus_p": (
        "multiplying the survivors by (1 - p) instead of dividing by it, so the expected value shrinks by (1 - p)²",
        "divide the kept entries by (1 - p)"),
    "keeps_with_probability_p": (
        "keeping an entry where u < p, so a fraction p is kept and 1 - p dropped, the reverse of what p means",
        "p is the drop probability: keep an entry where u >= p"),
    "ignores_generator": (
        "drawing u from the global random generator instead of the generator passed in, so a seed does not fix the mask",
        "pass it on: torch.rand(x.shape, generator=generator)"),
    "old_style_scale_at_eval": (
        "using classic dropout, unscaled in training and x * (1 - p) in evaluation, but the exercise asks for inverted dropout",
        "scale the kept entries by 1/(1 - p) in training and return x unchanged in evaluation"),
    "in_place": (
        "multiplying x in place with x.mul_(...), so the caller's tensor is changed",
        "build the result out of place (x * ..., not x.mul_), so that x stays as it was"),
    "p_one_divides_by_zero": (
        "having no special case for p = 1, so 1 / (1 - p) divides by zero and the result is nan instead of zeros",
        "treat p == 1 separately and return x * 0.0: zeros that stay attached to x's graph"),
    "p_one_zeros_like": (
        "returning torch.zeros_like(x) for p = 1, which is cut off from x's graph, so the result cannot be differentiated",
        "return x * 0.0: the same zeros, but differentiable with respect to x (gradient 0)"),
    "mask_as_float64": (
        "building the mask in float64, so a float32 x comes back promoted to float64",
        "make the mask in x's dtype: .to(device=x.device, dtype=x.dtype)"),
    "detached": (
        "multiplying x.detach(), so the result is cut off from x's graph and has no gradient",
        "use x itself in the product, so that autograd can differentiate through the dropout"),
    # ex03 batchnorm_forward
    "batch_stats_in_eval": (
        "normalising with the batch's own mean and variance in evaluation too, instead of running_mean and running_var",
        "when training is False, normalise with running_mean and running_var"),
    "running_var_biased": (
        "updating the running variance with the biased batch variance (divide by N), where PyTorch uses the unbiased one",
        "update running_var with x.var(dim=0, correction=1); normalise the batch with correction=0"),
    "normalises_with_unbiased_var": (
        "normalising with the unbiased variance (divide by N - 1), but training mode normalises with the biased one",
        "normalise with x.var(dim=0, correction=0); the unbiased variance is only for the running update"),
    "momentum_reversed": (
        "swapping the weights of the running update: it keeps momentum of the old value and 1 - momentum of the batch's",
        "new = (1 - momentum) * running + momentum * batch statistic"),
    "eps_outside_sqrt": (
        "adding eps after the square root, sqrt(var) + eps, instead of inside it",
        "divide by torch.sqrt(var + eps)"),
    "statistics_over_features": (
        "computing mean and variance over dim=1, across each example's features (layer norm), instead of per feature",
        "reduce over the batch axis, dim=0: one mean and one variance per feature (column)"),
    "running_stats_in_place": (
        "updating running_mean with mul_ and add_, so the caller's running_mean tensor is changed",
        "write the update out of place, (1 - momentum) * running_mean + momentum * mean, which makes a new tensor"),
    "forgot_gamma_beta": (
        "returning the normalised x without the scale gamma and the shift beta",
        "multiply the normalised x by gamma and add beta"),
    "ex03_batchnorm-ignores_eps": (
        "using a fixed 1e-5 instead of the eps passed in",
        "use the argument: torch.sqrt(var + eps)"),
    "ignores_momentum": (
        "using fixed weights 0.9 and 0.1 instead of the momentum passed in",
        "write the update with the argument: (1 - momentum) * running + momentum * batch statistic"),
    "computes_in_float32": (
        "casting all three results to float32, so a float64 input comes back in the wrong dtype",
        "return the tensors in the inputs' dtype: no .float() at the end"),
    "running_stats_not_updated": (
        "returning the running statistics unchanged in training mode instead of blending in the batch's",
        "in training, new = (1 - momentum) * running + momentum * batch statistic (the unbiased variance for running_var)"),
    # ex04 l2_penalty / l1_penalty
    "l2_without_half": (
        "leaving out the 1/2, so the penalty and its gradient are twice too large (2λw instead of weight_decay's λw)",
        "multiply the sum of squares by lam / 2"),
    "l2_norm_not_squared": (
        "adding up w.norm(), the square root of the sum of squares, instead of the sum of squares itself",
        "sum the squares, (w ** 2).sum(), for each tensor, then multiply by lam / 2"),
    "only_first_tensor": (
        "penalising only weights[0] and ignoring the other tensors in the list",
        "sum over every tensor in weights: sum(... for w in weights)"),
    "l1_without_abs": (
        "summing the signed weights, so negative entries lower the penalty instead of raising it",
        "sum the absolute values: w.abs().sum()"),
    "mean_not_sum": (
        "averaging the entries of each tensor instead of summing them, so each tensor's penalty is divided by its number of entries",
        "sum every entry with .sum(), not .mean()"),
    "python_float": (
        "calling .item(), so the L2 penalty is a Python float that autograd cannot differentiate",
        "keep everything as tensors: add up the 0-dim tensors without .item()"),
    "l1_abs_in_place": (
        "calling w.abs_(), which replaces the caller's weights by their absolute values",
        "use the out-of-place w.abs()"),
    "l1_ignores_lam": (
        "never multiplying the L1 sum by lam",
        "return lam times the sum of |w| over all tensors"),
    "l1_squared": (
        "squaring the whole L1 sum, which is not λ Σ|w| and has another gradient",
        "lam times the plain sum of absolute values, no square"),
    # ex05 sgd_momentum_step
    "ex05_sgd_momentum-sign_flipped": (
        "adding lr * step to p, which moves with the gradient instead of against it",
        "step downhill: p - lr * step"),
    "nesterov_like_plain_momentum": (
        "ignoring nesterov=True and always stepping along v_new, as plain momentum does",
        "for Nesterov, step along g + mu * v_new"),
    "nesterov_with_old_buffer": (
        "using the old buffer v in the Nesterov step, g + mu * v, instead of the updated v_new",
        "update the buffer first, then step along g + mu * v_new"),
    "dampened_buffer": (
        "weighting the gradient by (1 - mu) in the buffer, but torch.optim.SGD's buffer is mu * v + g, without damping",
        "v_new = mu * v + g"),
    "lr_inside_buffer": (
        "keeping lr inside the buffer (v = mu v - lr g), so the returned v_new is not torch.optim.SGD's momentum buffer",
        "store v_new = mu * v + g and apply lr only in the parameter update"),
    "buffer_in_place": (
        "updating v with mul_ and add_, so the caller's momentum buffer is changed",
        "compute v_new as a new tensor, mu * v + g, out of place"),
    "ignores_mu": (
        "using a fixed 0.9 instead of the mu passed in",
        "use the argument mu in the buffer update and in the Nesterov step"),
    "parameter_in_place": (
        "updating p with sub_, so the caller's parameter tensor is changed",
        "return p - lr * step, a new tensor"),
    "returns_old_buffer": (
        "returning the old buffer v instead of v_new, so the momentum never builds up across steps",
        "return the updated buffer: (p_new, v_new)"),
    "momentum_on_gradient_not_buffer": (
        "computing v + mu * g, which multiplies the gradient by mu instead of the old buffer",
        "decay the old buffer and add the new gradient: mu * v + g"),
    # ex06 adagrad_step / rmsprop_step
    "adagrad_not_accumulating": (
        "setting s_new = g², which forgets the squared gradients of earlier steps that AdaGrad accumulates",
        "add to the state: s_new = s + g * g"),
    "rmsprop_without_square": (
        "averaging the gradient g instead of its square g² in RMSProp's state",
        "s_new = alpha * s + (1 - alpha) * g * g"),
    "rmsprop_alpha_swapped": (
        "swapping the weights: RMSProp keeps (1 - alpha) of the old state and alpha of the new squared gradient",
        "alpha goes with the old state: alpha * s + (1 - alpha) * g²"),
    "adagrad_eps_inside_sqrt": (
        "adding eps inside the square root in AdaGrad, where torch.optim.Adagrad adds it after the square root",
        "divide by torch.sqrt(s_new) + eps"),
    "rmsprop_eps_inside_sqrt": (
        "adding eps inside the square root in RMSProp, where torch.optim.RMSprop adds it after the square root",
        "divide by torch.sqrt(s_new) + eps"),
    "no_square_root": (
        "dividing by s_new + eps without the square root, in both AdaGrad and RMSProp",
        "divide by torch.sqrt(s_new) + eps"),
    "adagrad_decays_like_rmsprop": (
        "decaying AdaGrad's state (0.99 s + 0.01 g²) like RMSProp, but AdaGrad adds up every squared gradient",
        "s_new = s + g * g"),
    "state_in_place": (
        "updating AdaGrad's state with s.add_(...), so the caller's s is changed",
        "compute s_new = s + g * g as a new tensor"),
    "rmsprop_state_in_place": (
        "updating RMSProp's state with mul_ and add_, so the caller's s is changed",
        "compute s_new out of place: alpha * s + (1 - alpha) * g * g"),
    "adagrad_ignores_eps": (
        "using a fixed 1e-10 in AdaGrad instead of the eps passed in",
        "use the argument: torch.sqrt(s_new) + eps"),
    "state_updated_after_the_step": (
        "dividing by the square root of the old state s instead of s_new, so the first step divides by eps alone",
        "update the state first, then step with g / (torch.sqrt(s_new) + eps)"),
    # ex07 adam_step
    "no_bias_correction": (
        "using m_new and v_new directly, without dividing by 1 - beta^t, so the early steps are wrongly scaled (both start at 0)",
        "divide m_new by 1 - beta1 ** t and v_new by 1 - beta2 ** t before the update"),
    "eps_inside_sqrt": (
        "adding eps inside the square root, sqrt(v_hat + eps), instead of after it",
        "divide by torch.sqrt(v_hat) + eps"),
    "betas_swapped": (
        "unpacking betas in the wrong order: betas is (beta1, beta2), for m and for v",
        "beta1, beta2 = betas"),
    "v_without_square": (
        "averaging |g| instead of g² in v, so v is not the second moment torch.optim.Adam keeps",
        "v_new = beta2 * v + (1 - beta2) * g * g"),
    "bias_correction_off_by_one": (
        "correcting with beta ** (t + 1), as if t started at 0, but t is 1 for the first step",
        "use 1 - beta1 ** t and 1 - beta2 ** t with t as given"),
    "only_m_corrected": (
        "bias-correcting m but not v",
        "correct v too: v_hat = v_new / (1 - beta2 ** t)"),
    "returns_corrected_moments": (
        "returning the bias-corrected m_hat and v_hat as the state, but the next step needs the uncorrected averages",
        "return (p_new, m_new, v_new); the correction only serves to compute p_new"),
    "wrong_correction_power": (
        "dividing by (1 - beta) ** t instead of 1 - beta ** t",
        "raise beta to the power t, then subtract it from 1: 1 - beta1 ** t"),
    "moments_in_place": (
        "updating m with mul_ and add_, so the caller's m is changed",
        "compute m_new = beta1 * m + (1 - beta1) * g as a new tensor"),
    "ignores_betas": (
        "using fixed 0.9 and 0.999 instead of the betas passed in",
        "unpack the argument: beta1, beta2 = betas"),
    "ex07_adam-ignores_eps": (
        "using a fixed 1e-8 instead of the eps passed in",
        "use the argument: torch.sqrt(v_hat) + eps"),
    "ex07_adam-sign_flipped": (
        "adding the step to p, which moves with the gradient instead of against it",
        "subtract the step: p minus lr * m_hat / (torch.sqrt(v_hat) + eps)"),
}
