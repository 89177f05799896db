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
