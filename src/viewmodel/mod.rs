//! The page's state and its reducer, pure and natively tested; the Yew components in `ui` only render it and dispatch actions.
