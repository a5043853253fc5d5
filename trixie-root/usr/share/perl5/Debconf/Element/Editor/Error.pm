#!/usr/bin/perl
# This file was preprocessed, do not edit!


package Debconf::Element::Editor::Error;
use warnings;
use strict;
use base qw(Debconf::Element::Editor::Text);

1
