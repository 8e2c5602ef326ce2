package io.upm.product;

/** Call or put. */
public enum OptionType {
    CALL, PUT;

    /** True for a call. */
    public boolean isCall() {
        return this == CALL;
    }
}
